#!/usr/bin/env python3
"""Write the seed corpora of fuzz_stamp, fuzz_webauthn, fuzz_evidence, fuzz_roundtrip_evidence,
fuzz_evidence_chain and fuzz_merkle.

Seeds are the worked examples of docs/formats.md (checked byte for byte by
tests/unit/test_formats_examples.c), signed by the example keys the harnesses
use, so the fuzzers start from inputs that pass verification. Run from the
repository root: python3 fuzz/gen_evidence_corpus.py
"""
import os
import re
import struct

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
doc = open(os.path.join(ROOT, "docs", "formats.md"), encoding="utf-8").read()
ex = {m.group(1): "".join(m.group(2).split())
      for m in re.finditer(r"<!-- example: (\S+) -->\n```\n(.*?)```", doc, re.S)}


def write(corpus, name, data):
    d = os.path.join(ROOT, "fuzz", "corpus", corpus)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


write("stamp", "x-stamp", ex["x-stamp"].encode())
write("stamp", "body", ex["stamp-body"].encode())
write("webauthn", "x-stamp-webauthn", ex["x-stamp-webauthn"].encode())
h = bytes.fromhex
write("evidence", "ruling", b"\x00" + h(ex["ruling"]))
write("evidence", "notarization-1", b"\x01" + h(ex["notarization-1"]))
write("evidence", "fetch", b"\x02" + h(ex["fetch"]))
write("evidence", "sigresult", b"\x03" + h(ex["sigresult"]))
# fuzz_roundtrip_evidence: same selector layout (without the chain)
write("roundtrip_evidence", "ruling", b"\x00" + h(ex["ruling"]))
write("roundtrip_evidence", "notarization-0", b"\x01" + h(ex["notarization-0"]))
write("roundtrip_evidence", "notarization-1", b"\x01" + h(ex["notarization-1"]))
write("roundtrip_evidence", "fetch", b"\x02" + h(ex["fetch"]))
write("roundtrip_evidence", "sigresult", b"\x03" + h(ex["sigresult"]))
# fuzz_evidence_chain: stamp header, body, notarization, ruling, signature result
write("evidence_chain", "formats-examples", b"".join(
    struct.pack(">H", len(b)) + b for b in (ex["x-stamp"].encode(), ex["stamp-body"].encode(),
                                            h(ex["notarization-1"]), h(ex["ruling"]),
                                            h(ex["sigresult"]))))
chain = b"".join(struct.pack(">H", len(h(ex[n]))) + h(ex[n])
                 for n in ("notarization-0", "notarization-1"))
write("evidence", "chain", b"\x04" + chain)
# merkle: n=2, index=1, old=1, count=1, root, old root (= leaf 0 hash), proof
write("merkle", "two-leaves", bytes([1, 1, 1, 1]) + h(ex["merkle-root"]) +
      h(ex["merkle-proof-1"]) + h(ex["merkle-proof-1"]))
write("merkle", "wide", bytes([63, 17, 40, 6]) + bytes(range(256)) * 2)
