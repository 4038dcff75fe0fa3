#!/usr/bin/env python3
"""Check what the libsecp256k1 suppressions of the constant-time check hide.

Debian's libsecp256k1 is stripped and built without valgrind support, so its signing code
branches at the points it declassifies itself (secp256k1_declassify is a no-op there), and
tests/ctime/ctime.supp has to suppress those branches with frame patterns that cannot name a
code location ("obj:*/libsecp256k1.so*"). This script closes that gap: scripts/ctime.sh runs the
sign area once more WITHOUT the libsecp256k1 entries, and this script reads that valgrind log and
requires every error whose innermost frame is inside libsecp256k1 to be one of the code
locations reviewed for this exact build of the library (tests/ctime/secp256k1-reviewed.txt,
keyed by the SHA-256 of the .so). A new secret-dependent branch anywhere under the suppressed
calls, or a reviewed one that is no longer reached, makes it fail.

Locations are offsets from the library's load address, written as a call chain from the
innermost frame outwards, up to the first exported libsecp256k1 function and the libzerokey
caller, e.g. "0xb07a <- secp256k1_schnorrsig_sign_custom <- schnorr_sign". The load address is
recovered from the frames that valgrind names (exported functions, whose offsets `nm -D` gives).

Usage: secp256k1_review.py VALGRIND_LOG LIBSECP256K1_SO REVIEWED_LIST
Exit: 0 all reported locations reviewed and all reviewed locations reported; 1 a mismatch;
3 the library is not the reviewed build (nothing can be concluded: the caller warns).
"""
import hashlib
import re
import subprocess
import sys

FRAME = re.compile(r"^==\d+==\s+(?:at|by) 0x([0-9A-Fa-f]+): (.*?)(?: \((?:in )?(.*)\))?$")
KINDS = ("Conditional jump", "Use of uninitialised value", "Syscall param")


def exported(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True, capture_output=True,
                         text=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "TtWw":
            syms[parts[2]] = int(parts[0], 16)
    return syms


def error_blocks(log):
    """Yield the frame list (addr, name, where) of each error report in a valgrind log."""
    cur = None
    for line in log.splitlines():
        body = re.sub(r"^==\d+==\s?", "", line)
        if any(body.startswith(k) for k in KINDS):
            if cur:
                yield cur
            cur = []
            continue
        if cur is None:
            continue
        m = FRAME.match(line)
        if m:
            cur.append((int(m.group(1), 16), m.group(2), m.group(3) or ""))
        elif body.strip() == "" or body.startswith(" Uninitialised value was created"):
            if cur:
                yield cur
            cur = None
    if cur:
        yield cur


def main():
    if len(sys.argv) != 4:
        print(__doc__.strip().splitlines()[0])
        return 2
    log_path, lib, reviewed_path = sys.argv[1:]
    digest = hashlib.sha256(open(lib, "rb").read()).hexdigest()
    builds, cur_build = {}, None
    for raw in open(reviewed_path):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("build "):
            cur_build = line.split()[1]
            builds[cur_build] = set()
            continue
        if cur_build is None:
            print("CTIME secp256k1: FAILED (reviewed list: location before any 'build' line)")
            return 1
        builds[cur_build].add(" ".join(line.split()))
    if digest not in builds:
        print(f"CTIME secp256k1: not the reviewed build (sha256 {digest[:16]}...): the "
              "libsecp256k1 suppressions are not checked against reviewed locations")
        return 3
    want = builds[digest]
    syms = exported(lib)
    bases, seen = set(), set()
    for frames in error_blocks(open(log_path).read()):
        if not frames or "libsecp256k1" not in frames[0][2]:
            continue  # not libsecp256k1's: the main check reports it unsuppressed
        chain = []
        for addr, name, where in frames:
            if "libsecp256k1" not in where:
                chain.append(name)
                break
            if name != "???":
                if name not in syms:
                    print(f"CTIME secp256k1: FAILED (frame names {name}, not an exported symbol)")
                    return 1
                # valgrind reports return address - 1, inside the named function
                bases.add((addr - syms[name]) & ~0xFFF)
                chain.append(name)
                continue
            chain.append(addr)
        seen.add(tuple(chain))
    if len(bases) > 1:
        print(f"CTIME secp256k1: FAILED (inconsistent load addresses {sorted(map(hex, bases))})")
        return 1
    if seen and not bases:
        print("CTIME secp256k1: FAILED (no named libsecp256k1 frame to place the library)")
        return 1
    base = bases.pop() if bases else 0
    got = set()
    for chain in seen:
        got.add(" <- ".join(hex(c - base) if isinstance(c, int) else c for c in chain))
    unreviewed, missing = sorted(got - want), sorted(want - got)
    for loc in unreviewed:
        print(f"CTIME secp256k1: UNREVIEWED branch on a secret inside libsecp256k1: {loc}")
    for loc in missing:
        print(f"CTIME secp256k1: reviewed location no longer reported (update the list): {loc}")
    verdict = "clean" if not unreviewed and not missing else "FAILED"
    print(f"CTIME secp256k1: reported={len(got)} reviewed={len(want)} unreviewed={len(unreviewed)} "
          f"missing={len(missing)} build={digest[:16]} {verdict}")
    return 0 if verdict == "clean" else 1


if __name__ == "__main__":
    sys.exit(main())
