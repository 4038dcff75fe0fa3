package zerokey

import (
	"bytes"
	"crypto/sha512"
	"errors"
	"strings"
	"testing"
)

const backendNowMs = uint64(1_750_000_000_000)

func bootPCRs() []byte {
	var pcrs []byte
	for i := 0; i < 16; i++ {
		pcrs = append(pcrs, bytes.Repeat([]byte{byte(i + 1)}, 48)...)
	}
	return pcrs
}

// openMock opens a mock backend at backendNowMs and a verifier pinning its root.
func openMock(t *testing.T, o *BackendOptions) (*Backend, *AttVerifier) {
	t.Helper()
	be := must(OpenBackend("mock", o))
	v := must(NewAttVerifier(false))
	if err := v.AddRootDER(must(be.MockRootDER())); err != nil {
		t.Fatal(err)
	}
	return be, v
}

func attPolicy(t *testing.T, f func(p *AttPolicy) error) *AttPolicy {
	t.Helper()
	p := must(NewAttPolicy())
	if err := f(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestMockBackendAttestation(t *testing.T) {
	be, v := openMock(t, &BackendOptions{MockTimeMs: backendNowMs, MockBootPCRs: bootPCRs(), MockModuleID: "i-go-test-enc"})
	defer be.Close()
	defer v.Close()
	if be.Name() != "mock" || must(be.TimeMs()) != backendNowMs {
		t.Fatal("mock name / clock")
	}
	pub := bytes.Repeat([]byte{4}, 65)
	doc := must(be.Attest([]byte("manifest-hash"), []byte("n0"), pub))
	at := backendNowMs / 1000
	pol := attPolicy(t, func(p *AttPolicy) error {
		p.SetMaxAge(60)
		return firstErr(p.AddPCR(0, bytes.Repeat([]byte{1}, 48)), p.AddPCR(2, bytes.Repeat([]byte{3}, 48)),
			p.ExpectUserData([]byte("manifest-hash")), p.ExpectNonce([]byte("n0")), p.ExpectPublicKey(pub))
	})
	d := must(v.Verify(doc, at, pol))
	if !d.Verified || d.IsDebug || string(d.UserData) != "manifest-hash" || string(d.Nonce) != "n0" ||
		!bytes.Equal(d.PublicKey, pub) || d.TimestampMs/1000 != at || d.ModuleID != "i-go-test-enc" ||
		len(d.PCRs) != 32 || !bytes.Equal(d.PCRs[15], bytes.Repeat([]byte{16}, 48)) || d.Tagged {
		t.Fatalf("verified mock document: %+v", d)
	}
	cases := []struct {
		label string
		pol   *AttPolicy
		want  Status
	}{
		{"nonce", attPolicy(t, func(p *AttPolicy) error { return p.ExpectNonce([]byte("n1")) }), StatusATTNonce},
		{"user_data", attPolicy(t, func(p *AttPolicy) error { return p.ExpectUserData([]byte("x")) }), StatusATTUserData},
		{"public_key", attPolicy(t, func(p *AttPolicy) error { return p.ExpectPublicKey(bytes.Repeat([]byte{5}, 65)) }), StatusATTPublicKey},
		{"pcr", attPolicy(t, func(p *AttPolicy) error { return p.AddPCR(1, bytes.Repeat([]byte{1}, 48)) }), StatusATTPCRMismatch},
	}
	for _, c := range cases {
		_, err := v.Verify(doc, at, c.pol)
		expectStatus(t, c.label, err, c.want)
		if !errors.Is(err, ErrAttestation) {
			t.Fatal("attestation family")
		}
	}
	// The AWS-pinned verifier refuses the mock chain.
	aws := must(NewAttVerifier(true))
	defer aws.Close()
	_, err := aws.Verify(doc, at, nil)
	expectStatus(t, "AWS root", err, StatusATTUntrustedRoot)
	// A later clock: stale under max_age.
	if err := be.MockSetTime(backendNowMs + 120_000); err != nil || must(be.TimeMs()) != backendNowMs+120_000 {
		t.Fatal("mock clock", err)
	}
	_, err = v.Verify(doc, at+120, pol)
	expectStatus(t, "stale", err, StatusATTStale)
	// A document made at the new time is fresh again.
	doc2 := must(be.Attest([]byte("manifest-hash"), []byte("n0"), pub))
	if d2 := must(v.Verify(doc2, at+120, pol)); d2.TimestampMs != backendNowMs+120_000 {
		t.Fatal("document time follows the mock clock")
	}
	// nil fields are absent, empty ones are empty byte strings.
	d3 := must(v.Verify(must(be.Attest(nil, []byte{}, nil)), at+120, nil))
	if d3.UserData != nil || d3.Nonce == nil || len(d3.Nonce) != 0 || d3.PublicKey != nil {
		t.Fatalf("absent / empty fields: %+v", d3)
	}
	_, err = be.Attest(make([]byte, NSMAttestFieldMax+1), nil, nil)
	expectStatus(t, "oversized user_data", err, StatusNSMInputTooLarge)
	// Mutations of a mock document are refused by the same verifier.
	tried, rejected := 0, 0
	for i := 0; i < len(doc); i += len(doc)/61 + 1 {
		tried++
		if _, err := v.Verify(flip(doc, i), at, nil); err != nil {
			rejected++
		}
	}
	t.Logf("MUTATIONS go/mock_attestation: tried=%d rejected=%d", tried, rejected)
	if tried == 0 || tried != rejected {
		t.Fatalf("mock document mutations: tried=%d rejected=%d", tried, rejected)
	}
}

func TestMockBackendPKIFromDER(t *testing.T) {
	root := readVector(t, "turnkey/nitro/mock_pki_root.der")
	o := &BackendOptions{MockTimeMs: backendNowMs, MockRootDER: root,
		MockIntermediateDER: readVector(t, "turnkey/nitro/mock_pki_intermediate.der"),
		MockLeafDER:         readVector(t, "turnkey/nitro/mock_pki_leaf.der"),
		MockLeafSecret:      unhex(t, strings.TrimSpace(string(readVector(t, "turnkey/nitro/mock_pki_leaf_p384_secret.hex"))))}
	be, v := openMock(t, o)
	defer be.Close()
	defer v.Close()
	if !bytes.Equal(must(be.MockRootDER()), root) {
		t.Fatal("mock root is not the loaded DER")
	}
	allowDebug := attPolicy(t, func(p *AttPolicy) error { p.AllowDebug(true); return nil })
	d := must(v.Verify(must(be.Attest([]byte("u"), nil, nil)), backendNowMs/1000, allowDebug))
	if !d.Verified || !d.IsDebug {
		t.Fatal("document signed by the loaded PKI")
	}
	_, err := v.Verify(must(be.Attest([]byte("u"), nil, nil)), backendNowMs/1000, nil)
	expectStatus(t, "debug refused by default", err, StatusATTDebug)
	// A leaf secret that does not match the leaf certificate, or a partial PKI, is refused.
	bad := *o
	bad.MockLeafSecret = bytes.Repeat([]byte{7}, 48)
	if _, err := OpenBackend("mock", &bad); err == nil {
		t.Fatal("mismatched leaf secret accepted")
	}
	partial := &BackendOptions{MockRootDER: root}
	if _, err := OpenBackend("mock", partial); err == nil {
		t.Fatal("partial PKI accepted")
	}
}

func TestMockBackendPCRs(t *testing.T) {
	be := must(OpenBackend("mock", &BackendOptions{MockTimeMs: backendNowMs, MockBootPCRs: bootPCRs()}))
	defer be.Close()
	value, locked := must2b(be.DescribePCR(16))
	if locked || !bytes.Equal(value, make([]byte, 48)) {
		t.Fatal("PCR16 at start")
	}
	v0, locked0 := must2b(be.DescribePCR(0))
	if !locked0 || !bytes.Equal(v0, bytes.Repeat([]byte{1}, 48)) {
		t.Fatal("PCR0 is the boot value and locked")
	}
	h := sha512.Sum384(append(make([]byte, 48), "data"...))
	nv := must(be.ExtendPCR(16, []byte("data")))
	if !bytes.Equal(nv, h[:]) {
		t.Fatal("extend is SHA-384(old || data)")
	}
	h2 := sha512.Sum384(append(append([]byte{}, nv...), "more"...))
	if nv2 := must(be.ExtendPCR(16, []byte("more"))); !bytes.Equal(nv2, h2[:]) {
		t.Fatal("second extension")
	}
	if got, l := must2b(be.DescribePCR(16)); !bytes.Equal(got, h2[:]) || l {
		t.Fatal("describe after extend")
	}
	if err := be.LockPCR(16); err != nil {
		t.Fatal(err)
	}
	_, err := be.ExtendPCR(16, []byte("late"))
	expectStatus(t, "extend locked PCR16", err, StatusNSMReadOnlyIndex)
	if !errors.Is(err, ErrBackend) {
		t.Fatal("backend family")
	}
	expectStatus(t, "lock twice", be.LockPCR(16), StatusNSMReadOnlyIndex)
	if got, l := must2b(be.DescribePCR(16)); !bytes.Equal(got, h2[:]) || !l {
		t.Fatal("locked PCR16 keeps its value")
	}
	_, err = be.ExtendPCR(0, []byte("x"))
	expectStatus(t, "extend boot PCR0", err, StatusNSMReadOnlyIndex)
	_, _, err = be.DescribePCR(32)
	expectStatus(t, "PCR32", err, StatusNSMInvalidIndex)
	_, err = be.ExtendPCR(40, []byte("x"))
	expectStatus(t, "extend PCR40", err, StatusNSMInvalidIndex)
	// PCR17 still extends; LockPCRs(20) locks 17..19 as well.
	must(be.ExtendPCR(17, []byte("x")))
	if err := be.LockPCRs(20); err != nil {
		t.Fatal(err)
	}
	_, err = be.ExtendPCR(17, []byte("x"))
	expectStatus(t, "extend PCR17 after LockPCRs(20)", err, StatusNSMReadOnlyIndex)
	must(be.ExtendPCR(20, []byte("x")))
	expectStatus(t, "LockPCRs(33)", be.LockPCRs(33), StatusNSMInvalidIndex)
	desc := must(be.Describe())
	if desc.MaxPCRs != NSMMaxPCRs || desc.Digest != NSMDigestSHA384 || desc.ModuleID == "" ||
		len(desc.LockedPCRs) != 20 || desc.LockedPCRs[19] != 19 || desc.VersionMajor != 1 {
		t.Fatalf("describe: %+v", desc)
	}
	r1, r2 := must(be.Random(40)), must(be.Random(40))
	if len(r1) != 40 || bytes.Equal(r1, r2) {
		t.Fatal("random")
	}
	Wipe(r1)
	Wipe(r2)
	be.Close()
	be.Close()
	_, err = be.Random(8)
	expectStatus(t, "closed backend", err, StatusArg)
	if be.Name() != "" {
		t.Fatal("closed backend name")
	}
}

func TestBackendOpenErrors(t *testing.T) {
	_, err := OpenBackend("no-such-backend", nil)
	expectStatus(t, "unknown backend", err, StatusBackend)
	_, err = OpenBackend("mock", &BackendOptions{MockFlags: 0x80})
	if !errors.Is(err, ErrArgument) {
		t.Fatalf("unknown mock flag: %v", err)
	}
	_, err = OpenBackend("nitro", &BackendOptions{NSMDevice: "/nonexistent/zerokey-go-test-nsm"})
	expectStatus(t, "missing NSM device", err, StatusNSMDevice)
	// nil options are the defaults
	be := must(OpenBackend("mock", nil))
	defer be.Close()
	if now := must(be.TimeMs()); now < backendNowMs {
		t.Fatalf("default mock clock %d is not the current time", now)
	}
}

func TestMockBackendDocumentVariants(t *testing.T) {
	for _, flags := range []uint{0, MockIndefinitePayload, MockTagged, Mock16PCRs, MockIndefinitePayload | MockTagged | Mock16PCRs} {
		be, v := openMock(t, &BackendOptions{MockTimeMs: backendNowMs, MockFlags: flags})
		allowDebug := attPolicy(t, func(p *AttPolicy) error { p.AllowDebug(true); return nil })
		d := must(v.Verify(must(be.Attest([]byte("u"), nil, nil)), backendNowMs/1000, allowDebug))
		wantPCRs := 32
		if flags&Mock16PCRs != 0 {
			wantPCRs = 16
		}
		if d.Tagged != (flags&MockTagged != 0) || len(d.PCRs) != wantPCRs || !d.IsDebug {
			t.Fatalf("flags %#x: tagged=%v pcrs=%d", flags, d.Tagged, len(d.PCRs))
		}
		be.Close()
		v.Close()
	}
}

// firstErr returns the first non-nil error.
func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func must2b(v []byte, b bool, err error) ([]byte, bool) {
	if err != nil {
		panic(err)
	}
	return v, b
}
