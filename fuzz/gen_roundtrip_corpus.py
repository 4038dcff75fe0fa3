#!/usr/bin/env python3
"""Write the seed corpora of fuzz_roundtrip_key, fuzz_roundtrip_cose, fuzz_roundtrip_shamir,
fuzz_roundtrip_bundle and fuzz_qos_node.

Keys, encodings and signatures are made here with python3-cryptography from fixed
scalars (no secrets: the scalars are the constants below), so every selector of the
harnesses starts from an input that imports. Run from the repository root:
python3 fuzz/gen_roundtrip_corpus.py
"""
import hashlib
import os

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, utils

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
E, P = serialization.Encoding, serialization.PublicFormat


def write(corpus, name, data):
    d = os.path.join(ROOT, "fuzz", "corpus", corpus)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


curves = [("p256", ec.SECP256R1(), 32, hashes.SHA256()), ("p384", ec.SECP384R1(), 48, hashes.SHA384()),
          ("k1", ec.SECP256K1(), 32, hashes.SHA256())]
for i, (name, curve, cl, h) in enumerate(curves):
    d = int.from_bytes(hashlib.sha512(b"zk roundtrip " + name.encode()).digest()[:cl], "big") >> 8
    sk = ec.derive_private_key(d, curve)
    pk = sk.public_key()
    unc = pk.public_bytes(E.X962, P.UncompressedPoint)
    write("roundtrip_key", "pub-%s-compressed" % name, bytes([i]) + pk.public_bytes(E.X962, P.CompressedPoint))
    write("roundtrip_key", "pub-%s-uncompressed" % name, bytes([i]) + unc)
    write("roundtrip_key", "pub-%s-raw" % name, bytes([i]) + unc[1:])
    if name == "k1":
        write("roundtrip_key", "pub-k1-xonly", bytes([i]) + unc[1:33])
    write("roundtrip_key", "spki-%s" % name, bytes([4]) + pk.public_bytes(E.DER, P.SubjectPublicKeyInfo))
    spki = pk.public_bytes(E.DER, P.SubjectPublicKeyInfo)
    algid = spki[2:4 + spki[3]]
    comp = pk.public_bytes(E.X962, P.CompressedPoint)
    bits = bytes([3, len(comp) + 1, 0]) + comp
    write("roundtrip_key", "spki-%s-compressed" % name,
          bytes([4, 0x30, len(algid) + len(bits)]) + algid + bits)
    write("roundtrip_key", "priv-%s" % name, bytes([5 + i]) + d.to_bytes(cl, "big"))
    r, s = utils.decode_dss_signature(sk.sign(b"round trip", ec.ECDSA(h, deterministic_signing=True)))
    write("roundtrip_key", "sig-%s" % name, bytes([9 + i]) + r.to_bytes(cl, "big") + s.to_bytes(cl, "big"))
ed = ed25519.Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"zk roundtrip ed25519").digest())
write("roundtrip_key", "pub-ed25519", bytes([3]) + ed.public_key().public_bytes(E.Raw, P.Raw))
write("roundtrip_key", "spki-ed25519", bytes([4]) + ed.public_key().public_bytes(E.DER, P.SubjectPublicKeyInfo))
write("roundtrip_key", "priv-ed25519", bytes([8]) + hashlib.sha256(b"zk roundtrip ed25519").digest())

# fuzz_roundtrip_cose: the fuzz_cose seeds (mode 0: parse) and one create per algorithm (mode 1)
cose = os.path.join(ROOT, "fuzz", "corpus", "cose")
for f in sorted(os.listdir(cose)):
    with open(os.path.join(cose, f), "rb") as fh:
        write("roundtrip_cose", "parse-" + f, b"\x00" + fh.read())
for alg, name in enumerate(("es256", "es256k", "es384", "eddsa")):
    write("roundtrip_cose", "create-" + name, bytes([1, alg, 1, 4]) + b"kid0" + b'{"payload":1}')

# fuzz_roundtrip_shamir: Shamir parameters (mode 0), a QOS public key (mode 1), QOS seeds (mode 2)
import sys  # noqa: E402
sys.path.insert(0, os.path.join(ROOT, "fuzz"))
from gen_qos_corpus import keyset  # noqa: E402

write("roundtrip_shamir", "shamir-2of3", bytes([0, 2, 1, 0xff, 0xff]) + b"secret share bytes 0123456789abcdef")
write("roundtrip_shamir", "shamir-5of9", bytes([0, 8, 4, 0x55, 0x01]) + bytes(range(64)))
write("roundtrip_shamir", "shamir-1of1", bytes([0, 0, 0, 1, 0]) + b"\x00")
seed = hashlib.sha256(b"zk roundtrip qos").digest()
write("roundtrip_shamir", "qos-pub", b"\x01" + keyset(seed)[2])
write("roundtrip_shamir", "qos-seed", b"\x02" + seed)

# fuzz_roundtrip_bundle: [kind][pos hi][pos lo][xor][id_len][id][plaintext], one per kind
for kind, name in enumerate(("export", "credential", "encrypted", "import", "oauth", "v0")):
    ident = b"user-fuzz" if kind == 3 else b"org-fuzz"
    write("roundtrip_bundle", name,
          bytes([kind, 0, 7, 0x20, len(ident)]) + ident + b"abandon ability able about above absent")

# fuzz_qos_node: [mode][op][pos hi][pos lo][xor][bytes]; the messages themselves are made in the
# harness (the node's setup key is fresh per boot), so seeds only pick the paths
write("qos_node", "mutate-envelope", bytes([0, 0, 0, 40, 0x01]))
write("qos_node", "unchanged-envelope", bytes([0, 1, 0, 3, 0x00]))
write("qos_node", "raw-envelope", bytes([1, 2, 0, 0, 0]) + bytes(range(97)) + b"\x21" * 33)
write("qos_node", "forged-approval", bytes([2, 0, 0, 0, 0]) + b"\x07" * 64 + b"op-1")
write("qos_node", "hostile-share", bytes([3, 1, 0, 0, 0]) + b"\x02" + b"\x5a" * 32)
