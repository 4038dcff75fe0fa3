#!/usr/bin/env python3
"""Write the seed corpus of fuzz_qos_sequence: named step sequences of the QOS node state
machine (see the header of fuzz/fuzz_qos_sequence.c for the 5-byte step format).
Run from the repository root: python3 fuzz/gen_sequence_corpus.py
"""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fuzz", "corpus", "qos_sequence")

BOOT_STD, BOOT_KF, SHARE, SHARE_X, EXPORT, INJECT, INJECT_X, LIVE, RESET = range(9)


def step(op, p=0, pos=0, x=0):
    return bytes([op, p, pos >> 8, pos & 0xFF, x])


SEQS = {
    "standard": [step(BOOT_STD), step(SHARE, 0), step(SHARE, 1), step(LIVE)],
    "standard-refusals": [step(BOOT_STD), step(SHARE, 0), step(SHARE, 0), step(SHARE_X, 1, 100, 0x01),
                          step(INJECT), step(SHARE, 2), step(LIVE), step(SHARE, 1)],
    "key-forward": [step(BOOT_KF), step(EXPORT), step(INJECT), step(LIVE)],
    "key-forward-nonce2": [step(BOOT_KF, 1), step(EXPORT), step(INJECT), step(LIVE)],
    "key-forward-namespace": [step(BOOT_KF, 2), step(EXPORT), step(INJECT), step(LIVE)],
    "key-forward-different-manifest": [step(BOOT_KF, 3), step(EXPORT), step(INJECT), step(LIVE)],
    "key-forward-replay": [step(BOOT_KF), step(EXPORT), step(RESET), step(BOOT_KF), step(INJECT),
                           step(EXPORT), step(INJECT), step(LIVE)],
    "key-forward-corrupted": [step(BOOT_KF), step(EXPORT, 0, 500, 0x40), step(EXPORT),
                              step(INJECT_X, 0, 10, 0x01), step(INJECT_X, 0, 0xFFFF, 0x80),
                              step(INJECT), step(INJECT), step(LIVE)],
    "wrong-phases": [step(LIVE), step(INJECT), step(SHARE), step(BOOT_STD), step(BOOT_KF),
                     step(EXPORT), step(INJECT), step(SHARE, 1), step(SHARE, 2), step(BOOT_STD),
                     step(LIVE)],
    "standard-then-forward": [step(BOOT_STD, 1), step(EXPORT), step(INJECT), step(SHARE, 2),
                              step(SHARE, 0), step(EXPORT), step(LIVE)],
}

os.makedirs(OUT, exist_ok=True)
for name, steps in SEQS.items():
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(b"".join(steps))
print("wrote %d seeds to %s" % (len(SEQS), OUT))
