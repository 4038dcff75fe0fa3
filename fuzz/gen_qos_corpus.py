#!/usr/bin/env python3
"""Generate the seed corpora of the QOS fuzz harnesses (synthetic data only).

Usage: python3 fuzz/gen_qos_corpus.py   (needs the 'cryptography' package)
Writes fuzz/corpus/qos_{manifest,envelope,share,proof,genesis}/.
"""
import hashlib, hmac, json, os, struct
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")

def keyset(seed):
    def half(path):
        sk = HKDF(hashes.SHA512(), 32, path, b"").derive(seed)
        k = ec.derive_private_key(int.from_bytes(sk, "big"), ec.SECP256R1())
        pub = k.public_key().public_bytes(serialization.Encoding.X962,
                                          serialization.PublicFormat.UncompressedPoint)
        return k, pub
    ek, ep = half(b"qos_p256_encrypt")
    sk, sp = half(b"qos_p256_sign")
    return ek, sk, ep + sp

def sign(sk, msg):
    r, s = decode_dss_signature(sk.sign(msg, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")

def bs(b): return struct.pack("<I", len(b)) + b
def st(s): return bs(s.encode())

def manifest(version, keys):
    pub = keys[2]
    qset = lambda t, names: struct.pack("<II", t, len(names)) + b"".join(st(n) + bs(pub) for n in names)
    o = st("fuzz/ns") + struct.pack("<I", 3) + bs(pub) + bytes(range(32)) + b"\x01"
    if version == 1:
        o += struct.pack("<I", 1) + b"\x00" + struct.pack("<H", 3000) + st("0.0.0.0") + b"\x00"
    o += struct.pack("<I", 2) + st("--a") + st("b")
    o += qset(1, ["op"]) + qset(1, ["op"])
    o += b"".join(bs(bytes([i]) * 48) for i in range(4)) + bs(b"root") + st("commit")
    o += struct.pack("<II", 1, 1) + bs(pub)
    return o

def manifest_json(keys):
    h = keys[2].hex()
    return json.dumps({
        "namespace": {"name": "fuzz/ns", "nonce": 3, "quorumKey": h},
        "pivot": {"hash": bytes(range(32)).hex(), "restart": "Always",
                  "bridgeConfig": [{"type": "server", "port": 3000, "host": "0.0.0.0"}],
                  "debugMode": False, "args": ["--a", "b"]},
        "manifestSet": {"threshold": 1, "members": [{"alias": "op", "pubKey": h}]},
        "shareSet": {"threshold": 1, "members": [{"alias": "op", "pubKey": h}]},
        "enclave": {"pcr0": "00" * 48, "pcr1": "01" * 48, "pcr2": "02" * 48, "pcr3": "03" * 48,
                    "awsRootCertificate": "726f6f74", "qosCommit": "commit"},
        "patchSet": {"threshold": 1, "members": [{"pubKey": h}]}}, separators=(",", ":"))

def seal(recv_pub130, pt):
    eph = ec.generate_private_key(ec.SECP256R1())
    ep = eph.public_key().public_bytes(serialization.Encoding.X962,
                                       serialization.PublicFormat.UncompressedPoint)
    rp = recv_pub130[:65]
    shared = eph.exchange(ec.ECDH(), ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), rp))
    key = hmac.new(ep + rp + shared, b"qos_encryption_hmac_message", hashlib.sha512).digest()[:32]
    nonce = os.urandom(12)
    ct = AESGCM(key).encrypt(nonce, pt, ep + b"\x41" + rp + b"\x41")
    return nonce + ep + bs(ct)

def write(name, files):
    d = os.path.join(ROOT, name)
    os.makedirs(d, exist_ok=True)
    for fn, data in files.items():
        with open(os.path.join(d, fn), "wb") as f:
            f.write(data)

def main():
    op = keyset(b"\x33" * 32)
    m1, m0 = manifest(1, op), manifest(0, op)
    h1 = hashlib.sha256(m1).digest()
    write("qos_manifest", {"v1_borsh": b"\x00" + m1, "v0_borsh": b"\x01" + m0,
                           "v1_borsh_explicit": b"\x02" + m1,
                           "v1_json": b"\x03" + manifest_json(op).encode()})
    appr = bs(sign(op[1], h1)) + st("op") + bs(op[2])
    env = m1 + struct.pack("<I", 1) + appr + struct.pack("<I", 0)
    envj = json.dumps({"manifest": json.loads(manifest_json(op)),
                       "manifestSetApprovals": [{"signature": sign(op[1], h1).hex(),
                                                 "member": {"alias": "op", "pubKey": op[2].hex()}}],
                       "shareSetApprovals": []}, separators=(",", ":"))
    write("qos_envelope", {"borsh": b"\x00" + env, "json": b"\x01" + envj.encode()})
    share_ks = keyset(b"\x11" * 32)
    write("qos_share", {"envelope": b"\x00" + seal(share_ks[2], b"\x01" + b"\x5a" * 32),
                        "envelope_empty": b"\x00" + seal(share_ks[2], b""),
                        "combine": b"\x01\x01" + b"\x01" + b"\x10" * 4 + b"\x02" + b"\x20" * 4,
                        "hex": b"\x02" + (b"11" * 32) + b"\n",
                        "pubkey": b"\x03" + op[2] + sign(op[1], b"fuzz")})
    eph = keyset(b"\x22" * 32)
    payload = json.dumps({"type": "APP_PROOF_TYPE_ADDRESS_DERIVATION", "timestampMs": "1",
                          "addressDerivationProof": {"organizationId": "o", "address": "a"}},
                         separators=(",", ":"))
    app = json.dumps({"scheme": "SIGNATURE_SCHEME_EPHEMERAL_KEY_P256", "publicKey": eph[2].hex(),
                      "proofPayload": payload, "signature": sign(eph[1], payload.encode()).hex()},
                     separators=(",", ":"))
    import base64
    boot = json.dumps({"ephemeralPublicKeyHex": eph[2].hex(), "awsAttestationDocB64": "hEShATgioA==",
                       "qosManifestB64": base64.b64encode(m1).decode(),
                       "qosManifestEnvelopeB64": base64.b64encode(env).decode(),
                       "createdAt": {"seconds": "1782779620", "nanos": "0"}}, separators=(",", ":"))
    write("qos_proof", {"app": b"\x00" + app.encode(), "boot": b"\x01" + boot.encode(),
                        "canon": b"\x02" + b'{"b":1,"a":[null,true,"x\\n"],"c":null}'})
    write("qos_genesis", {"genesis_1of2": genesis()})

def genesis():
    """A GenesisOutput for two members (seed 0x11 and 0x33 key sets), 1-of-2, with a DR wrap."""
    a, b = keyset(b"\x11" * 32), keyset(b"\x33" * 32)
    q = keyset(b"\x44" * 32)
    qseed = b"\x44" * 32
    members = [("a", a[2]), ("b", b[2])]
    o = struct.pack("<I", 2) + b"".join(st(n) + bs(p) for n, p in members) + struct.pack("<I", 1)
    o += b"\x01" + bs(b[2]) + bs(q[2]) + struct.pack("<I", 2)
    for n, p in members:
        share = b"\x01" + qseed if n == "a" else b"\x02" + qseed
        o += st(n) + bs(p) + bs(seal(p, share)) + hashlib.sha512(share).digest()
    o += struct.pack("<I", 0) + b"\x01" + bs(seal(b[2], qseed))
    o += hashlib.sha512(qseed.hex().encode()).digest()
    msg = b"qos-test-message"
    o += bs(seal(q[2], msg)) + bs(sign(q[1], msg)) + bs(msg)
    return o

if __name__ == "__main__":
    main()
