#!/usr/bin/env python3
"""Generate the seed corpus of fuzz/fuzz_attestation.c.

Seeds are Nitro-format attestation documents (COSE_Sign1, ES384) minted with a
small P-384 test PKI whose keys are derived from fixed scalars, so the root
certificate pinned in fuzz_attestation.c (same subject, same key) verifies
every regenerated corpus. Plus structural variants (indefinite maps, tag 18,
null/absent optionals, 32 PCRs) and a few malformed ones. No real document is
copied. Needs python3-cryptography.

Usage: python3 fuzz/gen_attestation_corpus.py fuzz/corpus/attestation [--print-root]
"""
import datetime
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID

T0 = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
T1 = datetime.datetime(2120, 1, 1, tzinfo=datetime.timezone.utc)
TS_MS = 1700000000123  # the harness verifies at 1700000000


def key(n):
    return ec.derive_private_key(n, ec.SECP384R1())


def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "zerokey fuzz"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def cert(subject, pub, issuer, issuer_key, serial, ca, pathlen=None):
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
         .public_key(pub).serial_number(serial).not_valid_before(T0).not_valid_after(T1)
         .add_extension(x509.BasicConstraints(ca=ca, path_length=pathlen), critical=True)
         .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                      key_encipherment=False, data_encipherment=False,
                                      key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                                      encipher_only=False, decipher_only=False), critical=True))
    return b.sign(issuer_key, hashes.SHA384()).public_bytes(serialization.Encoding.DER)


def head(major, v):
    if v < 24:
        return bytes([(major << 5) | v])
    for ai, n in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if v < (1 << (8 * n)):
            return bytes([(major << 5) | ai]) + v.to_bytes(n, "big")
    raise ValueError(v)


def bstr(b):
    return head(2, len(b)) + b


def tstr(s):
    return head(3, len(s.encode())) + s.encode()


def payload(leaf, cab, indefinite=False, optionals="null", npcrs=16, extra=b"", nextra=0):
    e = [(tstr("module_id"), tstr("i-0123456789abcdef0-enc0123456789abcdef")),
         (tstr("digest"), tstr("SHA384")),
         (tstr("timestamp"), head(0, TS_MS)),
         (tstr("pcrs"), head(5, npcrs) + b"".join(head(0, i) + bstr(bytes([i + 1]) * 48)
                                                  for i in range(npcrs))),
         (tstr("certificate"), bstr(leaf)),
         (tstr("cabundle"), head(4, len(cab)) + b"".join(bstr(c) for c in cab))]
    for k, fill in (("public_key", 0x11), ("user_data", 0x22), ("nonce", 0x33)):
        if optionals == "null":
            e.append((tstr(k), b"\xf6"))
        elif optionals == "present":
            e.append((tstr(k), bstr(bytes([fill]) * 32)))
    body = b"".join(k + v for k, v in e) + extra
    n = len(e) + nextra
    return (b"\xbf" + body + b"\xff") if indefinite else head(5, n) + body


def cose(sign_key, pl, tagged=False, prot=b"\xa1\x01\x38\x22"):
    tbs = head(4, 4) + tstr("Signature1") + bstr(prot) + bstr(b"") + bstr(pl)
    r, s = decode_dss_signature(sign_key.sign(tbs, ec.ECDSA(hashes.SHA384())))
    sig = r.to_bytes(48, "big") + s.to_bytes(48, "big")
    out = head(4, 4) + bstr(prot) + b"\xa0" + bstr(pl) + bstr(sig)
    return (b"\xd2" + out) if tagged else out


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    rk, ik, lk = key(0x5eed01), key(0x5eed02), key(0x5eed03)
    root = cert(name("zerokey fuzz root"), rk.public_key(), name("zerokey fuzz root"), rk, 1, True)
    inter = cert(name("zerokey fuzz intermediate"), ik.public_key(), name("zerokey fuzz root"), rk,
                 2, True, 0)
    leaf = cert(name("zerokey fuzz leaf"), lk.public_key(), name("zerokey fuzz intermediate"), ik,
                3, False)
    if "--print-root" in sys.argv:
        print(root.hex())
    cab = [root, inter]
    seeds = {
        "definite_null_optionals": cose(lk, payload(leaf, cab)),
        "indefinite_tagged_present": cose(lk, payload(leaf, cab, True, "present"), tagged=True),
        "absent_optionals": cose(lk, payload(leaf, cab, optionals="absent")),
        "pcrs32": cose(lk, payload(leaf, cab, npcrs=32)),
        "duplicate_key": cose(lk, payload(leaf, cab, extra=tstr("digest") + tstr("SHA384"), nextra=1)),
        "unknown_key": cose(lk, payload(leaf, cab, extra=tstr("extra") + head(0, 1), nextra=1)),
        "wrong_alg": cose(lk, payload(leaf, cab), prot=b"\xa1\x01\x26"),
        "empty_cabundle": cose(lk, payload(leaf, [])),
        "minimal_empty_payload": head(4, 4) + bstr(b"\xa1\x01\x38\x22") + b"\xa0" + bstr(b"\xa0")
                                 + bstr(bytes(96)),
    }
    seeds["truncated"] = seeds["definite_null_optionals"][:700]
    for n, b in seeds.items():
        with open(os.path.join(outdir, n + ".cose"), "wb") as f:
            f.write(b)


if __name__ == "__main__":
    main()
