package zerokey

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// vectorsDir is $ZK_VECTORS_DIR or ../shared/vectors relative to the repository root.
func vectorsDir() string {
	if d := os.Getenv("ZK_VECTORS_DIR"); d != "" {
		return d
	}
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "vectors")
}

// readVector returns vectors/<rel>, or skips the test visibly when it is missing.
func readVector(t *testing.T, rel string) []byte {
	t.Helper()
	p := filepath.Join(vectorsDir(), rel)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Skipf("SKIPPED: vector file %s not found under %s", rel, vectorsDir())
	}
	return b
}

func loadJSON(t *testing.T, rel string, v interface{}) {
	t.Helper()
	if err := json.Unmarshal(readVector(t, rel), v); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func report(t *testing.T, suite string, run, passed int) {
	t.Logf("VECTORS go/%s: run=%d passed=%d", suite, run, passed)
}
