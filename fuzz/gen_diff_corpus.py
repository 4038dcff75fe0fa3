#!/usr/bin/env python3
"""Write the seed corpus of fuzz_diff_secp256k1 (see the harness for the layout).

Modes 0, 2, 3 derive the key pair and digest inside the harness, so their seeds
only choose the path (every control-byte case, both key encodings); mode 1 seeds
carry a real secp256k1 signature made here with python3-cryptography (the same
key, digest and signature in low-S and high-S form) so the raw path starts valid.
Run from the repository root: python3 fuzz/gen_diff_corpus.py
"""
import hashlib
import os

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fuzz", "corpus", "diff_secp256k1")
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
os.makedirs(OUT, exist_ok=True)


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


seed = bytes(range(32))
for case in range(5):
    for enc in (0, 1):
        ctl = (case << 1) | enc | 0x30
        write("valid-case%d-%s" % (case, "unc" if enc else "cmp"),
              bytes([0, ctl]) + seed + b"message %d" % case)
write("semi-raw", bytes([2, 0]) + seed + bytes(64) + b"msg")
write("der-real", bytes([3, 0x80]) + seed + b"msg")
write("der-real-mutated", bytes([3, 0xC0]) + seed + b"\x05\x01msg")
write("der-raw", bytes([3, 0]) + seed + bytes.fromhex("3006020101020101"))

sk = ec.derive_private_key(int.from_bytes(hashlib.sha256(b"zk diff seed").digest(), "big"),
                           ec.SECP256K1())
pub_c = sk.public_key().public_bytes(serialization.Encoding.X962,
                                     serialization.PublicFormat.CompressedPoint)
pub_u = sk.public_key().public_bytes(serialization.Encoding.X962,
                                     serialization.PublicFormat.UncompressedPoint)
digest = hashlib.sha256(b"zk diff message").digest()
r, s = utils.decode_dss_signature(sk.sign(digest, ec.ECDSA(utils.Prehashed(hashes.SHA256()), deterministic_signing=True)))
lo, hi = min(s, N - s), max(s, N - s)
for name, pub in (("cmp", pub_c), ("unc", pub_u)):
    for tag, sv in (("low", lo), ("high", hi)):
        write("raw-%s-%s" % (name, tag),
              bytes([1]) + pub + digest + r.to_bytes(32, "big") + sv.to_bytes(32, "big"))

# DER edge cases (mode 3, raw DER): acceptance differs between the three parsers
# (docs/fuzzing.md, "DER acceptance"); the harness asserts ours is never laxer.
der_cases = {
    "der-r-eq-n": "3026022100" + "%064x" % N + "020101",
    "der-r-zero": "3006020100020101",
    "der-r-negative": "3006020181020101",
    "der-r-33-bytes": "3026022101" + "00" * 32 + "020101",
    "der-long-form-len": "308106020101020101",
    "der-trailing": "300602010102010100",
}
for name, hx in der_cases.items():
    write(name, bytes([3, 0]) + seed + bytes.fromhex(hx))

# A hybrid (0x06 / 0x07) encoding of the raw-path key: OpenSSL and libsecp256k1 accept it, ours refuses
hyb = bytes([6 | (pub_u[64] & 1)]) + pub_u[1:]
write("raw-hybrid-low", bytes([1]) + hyb + digest + r.to_bytes(32, "big") + lo.to_bytes(32, "big"))
