"""The ctypes mirrors of C structures match the C headers field by field.

A small C program printing sizeof / offsetof of every mirrored structure is
compiled against include/ of this tree with the system C compiler; the test is
skipped visibly when no compiler is available.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import vectors
from zerokey import _lib, backend, evidence

STRUCTS = [
    ("zk_hpke_params", "zerokey/hpke.h", _lib.HpkeParamsC),
    ("zk_stamp_verify_opts", "zerokey/stamp.h", _lib.StampVerifyOptsC),
    ("zk_ruling_info", "zerokey/ruling.h", evidence.RulingInfoC),
    ("zk_ruling_expect", "zerokey/ruling.h", evidence.RulingExpectC),
    ("zk_notarization_info", "zerokey/notarization.h", evidence.NotarizationInfoC),
    ("zk_checkpoint", "zerokey/notarization.h", evidence.CheckpointC),
    ("zk_chain_opts", "zerokey/notarization.h", evidence.ChainOptsC),
    ("zk_chain_result", "zerokey/notarization.h", evidence.ChainResultC),
    ("zk_fetch_info", "zerokey/fetch_proof.h", evidence.FetchInfoC),
    ("zk_fetch_expect", "zerokey/fetch_proof.h", evidence.FetchExpectC),
    ("zk_sig_result_info", "zerokey/sig_result.h", evidence.SigResultInfoC),
    ("zk_sig_result_expect", "zerokey/sig_result.h", evidence.SigResultExpectC),
    ("zk_evidence_chain", "zerokey/evidence_chain.h", evidence.EvidenceChainC),
    ("zk_evidence_trust", "zerokey/evidence_chain.h", evidence.EvidenceTrustC),
    ("zk_evidence_chain_report", "zerokey/evidence_chain.h", evidence.ChainReportC),
    ("zk_backend_options", "zerokey/backend.h", backend.BackendOptionsC),
]


class TestAbiLayout(unittest.TestCase):
    def test_struct_layouts(self) -> None:
        cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
        if not cc:
            msg = "SKIPPED: no C compiler to check ctypes structure layouts"
            print(msg, file=sys.stderr)
            self.skipTest(msg)
        include = os.environ.get("ZEROKEY_INCLUDE") or str(vectors.REPO_ROOT / "include")
        lines = ["#include <stddef.h>", "#include <stdio.h>"]
        lines += sorted({f"#include <{h}>" for _, h, _ in STRUCTS})
        lines.append("int main(void) {")
        for cname, _, py in STRUCTS:
            lines.append(f'  printf("{cname} %zu\\n", sizeof({cname}));')
            for fname, *_ in py._fields_:
                lines.append(f'  printf("{cname}.{fname} %zu\\n", offsetof({cname}, {fname}));')
        lines.append("  return 0;\n}")
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "layout.c")
            exe = os.path.join(tmp, "layout")
            with open(src, "w") as f:
                f.write("\n".join(lines) + "\n")
            subprocess.run([cc, "-std=c11", "-I", include, "-o", exe, src], check=True)
            out = subprocess.run([exe], check=True, capture_output=True, text=True).stdout
        want = dict(line.rsplit(" ", 1) for line in out.splitlines())
        checked = 0
        for cname, _, py in STRUCTS:
            self.assertEqual(ctypes.sizeof(py), int(want[cname]), cname)
            for fname, *_ in py._fields_:
                self.assertEqual(getattr(py, fname).offset, int(want[f"{cname}.{fname}"]),
                                 f"{cname}.{fname}")
                checked += 1
        # Every C field is mirrored: the C struct size is fully covered by the ctypes fields.
        vectors.report("abi layout (structures/fields)", len(STRUCTS) + checked,
                       len(STRUCTS) + checked)


if __name__ == "__main__":
    unittest.main()
