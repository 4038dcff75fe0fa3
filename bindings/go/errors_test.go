package zerokey

import (
	"errors"
	"testing"
)

func TestGeneratedStatusNames(t *testing.T) {
	for st, name := range generatedStatusNames {
		if got := st.Name(); got != name {
			t.Errorf("status %d: library says %s, generated table %s (run bindings/gen_status.py)",
				int(st), got, name)
		}
	}
	var extra []int
	for v := 0; v < 1000; v++ {
		if _, ok := generatedStatusNames[Status(v)]; !ok && Status(v).Name() != "ZK_UNKNOWN_STATUS" {
			extra = append(extra, v)
		}
	}
	if len(extra) > 0 {
		t.Logf("NOTE: statuses %v are not in status_gen.go; run python3 bindings/gen_status.py", extra)
	}
}

func TestFamilies(t *testing.T) {
	for v := 1; v < 1000; v++ {
		st := Status(v)
		if st.Name() == "ZK_UNKNOWN_STATUS" {
			continue
		}
		var err error = &Error{Status: st, Op: "op", Offset: -1}
		fam := FamilyOf(st)
		if fam == nil {
			t.Fatalf("status %d (%s) has no family", v, st.Name())
		}
		for _, f := range Families {
			if errors.Is(err, f) != (f == fam) {
				t.Errorf("errors.Is(%s, %s) wrong", st.Name(), f.Name)
			}
		}
		if !errors.Is(err, st) {
			t.Errorf("errors.Is(err, %s) false", st.Name())
		}
		var got Status
		if !errors.As(err, &got) || got != st {
			t.Errorf("errors.As status")
		}
		var e *Error
		if !errors.As(err, &e) || e.Family() != fam {
			t.Errorf("errors.As *Error")
		}
	}
	if FamilyOf(StatusOK) != nil {
		t.Error("ZK_OK has a family")
	}
}

func TestRealError(t *testing.T) {
	_, err := KeyFromPublic(CurveP256, append([]byte{4}, make([]byte, 64)...))
	if !errors.Is(err, StatusKey) || !errors.Is(err, ErrCrypto) || errors.Is(err, ErrParse) {
		t.Fatalf("unexpected error %v", err)
	}
	if err.Error() != "zk_key_from_public: ZK_ERR_KEY: "+StatusKey.Message() {
		t.Fatalf("message %q", err.Error())
	}
	if Version() == "" {
		t.Fatal("empty version")
	}
}
