package zerokey

/*
#include <stdlib.h>
#include <zerokey/attestation.h>
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// AttTimeNow as a verification time means "the current time".
const AttTimeNow = C.ZK_ATT_TIME_NOW

// AWSNitroRootDER returns the built-in AWS Nitro Enclaves Root-G1 certificate.
func AWSNitroRootDER() []byte {
	var n C.size_t
	p := C.zk_att_aws_root_der(&n)
	return C.GoBytes(unsafe.Pointer(p), C.int(n))
}

// AttPolicy is what a verified document must also satisfy. A new policy
// rejects debug enclaves and has no other expectations.
type AttPolicy struct {
	p *C.zk_att_policy
}

// NewAttPolicy creates an empty policy.
func NewAttPolicy() (*AttPolicy, error) {
	var p *C.zk_att_policy
	if err := check("zk_att_policy_new", C.zk_att_policy_new(&p)); err != nil {
		return nil, err
	}
	pol := &AttPolicy{p: p}
	runtime.SetFinalizer(pol, (*AttPolicy).Close)
	return pol, nil
}

// AddPCR accepts value for PCR index (repeat to accept several values).
func (pol *AttPolicy) AddPCR(index uint, value []byte) error {
	st := C.zk_att_policy_add_pcr(pol.p, C.uint(index), inPtr(value), inLen(value))
	runtime.KeepAlive(pol)
	runtime.KeepAlive(value)
	return check("zk_att_policy_add_pcr", st)
}

// AllowDebug accepts debug-mode enclaves (PCR0 all zero).
func (pol *AttPolicy) AllowDebug(allow bool) {
	v := C.int(0)
	if allow {
		v = 1
	}
	C.zk_att_policy_allow_debug(pol.p, v)
	runtime.KeepAlive(pol)
}

// ExpectNonce requires the document's nonce to equal value.
func (pol *AttPolicy) ExpectNonce(value []byte) error {
	st := C.zk_att_policy_expect_nonce(pol.p, inPtr(value), inLen(value))
	runtime.KeepAlive(pol)
	runtime.KeepAlive(value)
	return check("zk_att_policy_expect_nonce", st)
}

// ExpectUserData requires the document's user_data to equal value.
func (pol *AttPolicy) ExpectUserData(value []byte) error {
	st := C.zk_att_policy_expect_user_data(pol.p, inPtr(value), inLen(value))
	runtime.KeepAlive(pol)
	runtime.KeepAlive(value)
	return check("zk_att_policy_expect_user_data", st)
}

// ExpectPublicKey requires the document's public_key to equal value.
func (pol *AttPolicy) ExpectPublicKey(value []byte) error {
	st := C.zk_att_policy_expect_public_key(pol.p, inPtr(value), inLen(value))
	runtime.KeepAlive(pol)
	runtime.KeepAlive(value)
	return check("zk_att_policy_expect_public_key", st)
}

// SetMaxAge refuses documents older than seconds at the verification time (0 = off).
func (pol *AttPolicy) SetMaxAge(seconds uint64) {
	C.zk_att_policy_set_max_age(pol.p, C.uint64_t(seconds))
	runtime.KeepAlive(pol)
}

// SetLeeway sets the clock-skew leeway in seconds.
func (pol *AttPolicy) SetLeeway(seconds uint64) {
	C.zk_att_policy_set_leeway(pol.p, C.uint64_t(seconds))
	runtime.KeepAlive(pol)
}

// Close frees the policy (idempotent).
func (pol *AttPolicy) Close() {
	if pol != nil && pol.p != nil {
		C.zk_att_policy_free(pol.p)
		pol.p = nil
		runtime.SetFinalizer(pol, nil)
	}
}

// AttDocument holds the fields of an attestation document. Verified is true
// only for documents returned by AttVerifier.Verify.
type AttDocument struct {
	Verified    bool
	ModuleID    string
	TimestampMs uint64
	PCRs        map[uint][]byte
	IsDebug     bool
	Certificate []byte
	CABundle    [][]byte
	PublicKey   []byte // nil when absent or null
	UserData    []byte
	Nonce       []byte
	Raw         []byte
	Tagged      bool
}

func newAttDocument(p *C.zk_att_doc) *AttDocument {
	defer C.zk_att_doc_free(p)
	d := &AttDocument{Verified: C.zk_att_doc_is_verified(p) == 1, PCRs: map[uint][]byte{}}
	var n C.size_t
	if m := C.zk_att_doc_module_id(p, &n); m != nil {
		d.ModuleID = C.GoStringN(m, C.int(n))
	}
	d.TimestampMs = uint64(C.zk_att_doc_timestamp_ms(p))
	mask := uint32(C.zk_att_doc_pcr_mask(p))
	for i := uint(0); i < C.ZK_ATT_MAX_PCRS; i++ {
		if mask&(1<<i) != 0 {
			if v := goBytes(C.zk_att_doc_pcr(p, C.uint(i), &n), n); v != nil {
				d.PCRs[i] = v
			}
		}
	}
	d.IsDebug = C.zk_att_doc_is_debug(p) == 1
	d.Certificate = goBytes(C.zk_att_doc_certificate(p, &n), n)
	count := int(C.zk_att_doc_cabundle_count(p))
	for i := 0; i < count; i++ {
		d.CABundle = append(d.CABundle, goBytes(C.zk_att_doc_cabundle(p, C.size_t(i), &n), n))
	}
	d.PublicKey = goBytes(C.zk_att_doc_public_key(p, &n), n)
	d.UserData = goBytes(C.zk_att_doc_user_data(p, &n), n)
	d.Nonce = goBytes(C.zk_att_doc_nonce(p, &n), n)
	d.Raw = goBytes(C.zk_att_doc_bytes(p, &n), n)
	d.Tagged = C.zk_att_doc_is_tagged(p) == 1
	return d
}

// AttVerifier holds pinned roots and a chain cache; safe for concurrent
// Verify calls once configured.
type AttVerifier struct {
	p *C.zk_att_verifier
}

// NewAttVerifier creates a verifier; with awsRoot the AWS Nitro Root-G1 is pinned.
func NewAttVerifier(awsRoot bool) (*AttVerifier, error) {
	var flags C.uint
	if !awsRoot {
		flags = C.ZK_ATT_VERIFIER_NO_AWS_ROOT
	}
	var p *C.zk_att_verifier
	if err := check("zk_att_verifier_new", C.zk_att_verifier_new(&p, flags)); err != nil {
		return nil, err
	}
	v := &AttVerifier{p: p}
	runtime.SetFinalizer(v, (*AttVerifier).Close)
	return v, nil
}

// AddRootDER pins a self-signed CA certificate (DER).
func (v *AttVerifier) AddRootDER(der []byte) error {
	st := C.zk_att_verifier_add_root_der(v.p, inPtr(der), inLen(der))
	runtime.KeepAlive(v)
	runtime.KeepAlive(der)
	return check("zk_att_verifier_add_root_der", st)
}

// AddRootPEM pins every certificate of a PEM bundle.
func (v *AttVerifier) AddRootPEM(pem []byte) error {
	cs := C.CBytes(pem)
	defer C.free(cs)
	st := C.zk_att_verifier_add_root_pem(v.p, (*C.char)(cs), C.size_t(len(pem)))
	runtime.KeepAlive(v)
	return check("zk_att_verifier_add_root_pem", st)
}

// RootCount is the number of pinned roots.
func (v *AttVerifier) RootCount() int {
	r := int(C.zk_att_verifier_root_count(v.p))
	runtime.KeepAlive(v)
	return r
}

// CacheStats returns chain-cache hits, misses and current entries.
func (v *AttVerifier) CacheStats() (hits, misses uint64, entries int) {
	var h, m C.uint64_t
	var e C.size_t
	C.zk_att_verifier_cache_stats(v.p, &h, &m, &e)
	runtime.KeepAlive(v)
	return uint64(h), uint64(m), int(e)
}

// Verify verifies doc at atUnix (seconds; AttTimeNow = now) against the
// pinned roots and policy (nil = defaults).
func (v *AttVerifier) Verify(doc []byte, atUnix uint64, policy *AttPolicy) (*AttDocument, error) {
	var p *C.zk_att_doc
	var off C.size_t
	var pol *C.zk_att_policy
	if policy != nil {
		pol = policy.p
	}
	st := C.zk_att_verify(v.p, &p, inPtr(doc), inLen(doc), C.uint64_t(atUnix), pol, &off)
	runtime.KeepAlive(v)
	runtime.KeepAlive(policy)
	runtime.KeepAlive(doc)
	if st != C.ZK_OK {
		e := &Error{Status: Status(st), Op: "zk_att_verify", Offset: -1}
		if off != 0 {
			e.Offset = int(off)
		}
		return nil, e
	}
	return newAttDocument(p), nil
}

// Close frees the verifier (idempotent).
func (v *AttVerifier) Close() {
	if v != nil && v.p != nil {
		C.zk_att_verifier_free(v.p)
		v.p = nil
		runtime.SetFinalizer(v, nil)
	}
}

// ParseAttestationUnverified is for DEBUGGING ONLY: syntax checks without
// signature, chain or policy; the result has Verified == false.
func ParseAttestationUnverified(doc []byte) (*AttDocument, error) {
	var p *C.zk_att_doc
	var off C.size_t
	st := C.zk_att_parse_unverified(&p, inPtr(doc), inLen(doc), &off)
	runtime.KeepAlive(doc)
	if err := checkOff("zk_att_parse_unverified", st, off); err != nil {
		return nil, err
	}
	return newAttDocument(p), nil
}
