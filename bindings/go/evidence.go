package zerokey

/*
#include <stdlib.h>
#include <string.h>
#include <zerokey/evidence.h>
#include <zerokey/ruling.h>
#include <zerokey/notarization.h>
#include <zerokey/sig_result.h>
#include <zerokey/evidence_chain.h>
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// EvidenceDigestLen is the size of evidence digests and kids.
const EvidenceDigestLen = C.ZK_EVIDENCE_DIGEST_LEN

// arena holds C allocations for one call (cgo forbids C structures that
// point into Go memory); free wipes and releases them.
type arena struct {
	ptrs []unsafe.Pointer
	lens []C.size_t
}

func (a *arena) alloc(n int) unsafe.Pointer {
	if n < 1 {
		n = 1
	}
	p := C.calloc(1, C.size_t(n))
	if p == nil {
		panic("zerokey: out of memory")
	}
	a.ptrs = append(a.ptrs, p)
	a.lens = append(a.lens, C.size_t(n))
	return p
}

func (a *arena) bytes(b []byte) *C.uint8_t {
	if b == nil {
		return nil
	}
	p := a.alloc(len(b))
	if len(b) > 0 {
		C.memcpy(p, unsafe.Pointer(&b[0]), C.size_t(len(b)))
	}
	return (*C.uint8_t)(p)
}

func (a *arena) str(s string) *C.char {
	p := a.alloc(len(s) + 1)
	if len(s) > 0 {
		b := []byte(s)
		C.memcpy(p, unsafe.Pointer(&b[0]), C.size_t(len(b)))
	}
	return (*C.char)(p)
}

func (a *arena) strOpt(s string) *C.char {
	if s == "" {
		return nil
	}
	return a.str(s)
}

func (a *arena) free() {
	for i, p := range a.ptrs {
		C.zk_free_secret(p, a.lens[i])
	}
	a.ptrs, a.lens = nil, nil
}

func digestTo(dst *[C.ZK_EVIDENCE_DIGEST_LEN]C.uint8_t, src []byte) {
	for i := 0; i < len(dst) && i < len(src); i++ {
		dst[i] = C.uint8_t(src[i])
	}
}

// digestArgs fails with StatusArg when a digest is neither nil nor 32 bytes: C
// reads exactly 32 bytes through every digest pointer, and digestTo would
// silently zero-pad or truncate. nil keeps its meaning (absent / all zero).
func digestArgs(op string, digests ...[]byte) error {
	for _, d := range digests {
		if err := digestArg(op, d, true); err != nil {
			return err
		}
	}
	return nil
}

func digestFrom(src *[C.ZK_EVIDENCE_DIGEST_LEN]C.uint8_t) []byte {
	return C.GoBytes(unsafe.Pointer(&src[0]), C.ZK_EVIDENCE_DIGEST_LEN)
}

// EvidenceKID is SHA-256 of a signer's SEC1 compressed (EC) or raw (Ed25519) public key.
func EvidenceKID(key *Key) ([]byte, error) {
	out := make([]byte, EvidenceDigestLen)
	st := C.zk_evidence_kid(outPtr(out), key.ptr())
	runtime.KeepAlive(key)
	if err := check("zk_evidence_kid", st); err != nil {
		return nil, err
	}
	return out, nil
}

// ---------------------------------------------------------------- rulings

// RulingInfo are the fields of a ruling.
type RulingInfo struct {
	Allow          bool
	OrganizationID string
	ActivityType   string
	StampDigest    []byte
	RequestDigest  []byte
	StateDigest    []byte
	PolicyIDs      []string
	IssuedAtMs     uint64
	ExpiresAtMs    uint64
}

// RulingExpect is what the verifier holds and requires.
type RulingExpect struct {
	NowMs, MaxSkewMs                        uint64
	StampDigest, RequestDigest, StateDigest []byte
	OrganizationID, ActivityType            string // optional ("" = not checked)
	AcceptDeny                              bool   // a valid DENY returns nil (auditors)
}

// Ruling is a parsed or created ruling (fields UNVERIFIED until Verify).
type Ruling struct {
	p *C.zk_ruling
}

func adoptRuling(p *C.zk_ruling) *Ruling {
	r := &Ruling{p: p}
	runtime.SetFinalizer(r, (*Ruling).Close)
	return r
}

// CreateRuling signs a ruling with the policy key.
func CreateRuling(policyKey *Key, info *RulingInfo) (*Ruling, error) {
	if err := digestArgs("zk_ruling_create", info.StampDigest, info.RequestDigest, info.StateDigest); err != nil {
		return nil, err
	}
	var a arena
	defer a.free()
	ci := (*C.zk_ruling_info)(a.alloc(int(unsafe.Sizeof(C.zk_ruling_info{}))))
	if info.Allow {
		ci.decision = C.ZK_RULING_ALLOW
	} else {
		ci.decision = C.ZK_RULING_DENY
	}
	ci.organization_id = a.str(info.OrganizationID)
	ci.activity_type = a.str(info.ActivityType)
	digestTo(&ci.stamp_digest, info.StampDigest)
	digestTo(&ci.request_digest, info.RequestDigest)
	digestTo(&ci.state_digest, info.StateDigest)
	if n := len(info.PolicyIDs); n > 0 {
		ids := unsafe.Slice((**C.char)(a.alloc(n*int(unsafe.Sizeof(uintptr(0))))), n)
		for i, s := range info.PolicyIDs {
			ids[i] = a.str(s)
		}
		ci.policy_ids = &ids[0]
		ci.n_policy_ids = C.size_t(n)
	}
	ci.issued_at_ms = C.uint64_t(info.IssuedAtMs)
	ci.expires_at_ms = C.uint64_t(info.ExpiresAtMs)
	var p *C.zk_ruling
	st := C.zk_ruling_create(&p, policyKey.ptr(), ci)
	runtime.KeepAlive(policyKey)
	if err := check("zk_ruling_create", st); err != nil {
		return nil, err
	}
	return adoptRuling(p), nil
}

// ParseRuling parses WITHOUT verifying.
func ParseRuling(data []byte) (*Ruling, error) {
	var p *C.zk_ruling
	st := C.zk_ruling_parse(&p, inPtr(data), inLen(data))
	runtime.KeepAlive(data)
	if err := check("zk_ruling_parse", st); err != nil {
		return nil, err
	}
	return adoptRuling(p), nil
}

// Info returns the (unverified until Verify) fields.
func (r *Ruling) Info() RulingInfo {
	ci := C.zk_ruling_get_info(r.p)
	out := RulingInfo{Allow: ci.decision == C.ZK_RULING_ALLOW,
		OrganizationID: C.GoString(ci.organization_id), ActivityType: C.GoString(ci.activity_type),
		StampDigest: digestFrom(&ci.stamp_digest), RequestDigest: digestFrom(&ci.request_digest),
		StateDigest: digestFrom(&ci.state_digest), IssuedAtMs: uint64(ci.issued_at_ms),
		ExpiresAtMs: uint64(ci.expires_at_ms)}
	if ci.n_policy_ids > 0 {
		for _, s := range unsafe.Slice(ci.policy_ids, int(ci.n_policy_ids)) {
			out.PolicyIDs = append(out.PolicyIDs, C.GoString(s))
		}
	}
	runtime.KeepAlive(r)
	return out
}

// Verify checks the policy signature, freshness and the digests the caller holds.
func (r *Ruling) Verify(policyKey *Key, e *RulingExpect) error {
	if e == nil {
		return &Error{Status: StatusArg, Op: "zk_ruling_verify", Offset: -1}
	}
	if err := digestArgs("zk_ruling_verify", e.StampDigest, e.RequestDigest, e.StateDigest); err != nil {
		return err
	}
	var a arena
	defer a.free()
	ce := (*C.zk_ruling_expect)(a.alloc(int(unsafe.Sizeof(C.zk_ruling_expect{}))))
	ce.now_ms = C.uint64_t(e.NowMs)
	ce.max_skew_ms = C.uint64_t(e.MaxSkewMs)
	ce.stamp_digest = a.bytes(e.StampDigest)
	ce.request_digest = a.bytes(e.RequestDigest)
	ce.state_digest = a.bytes(e.StateDigest)
	ce.organization_id = a.strOpt(e.OrganizationID)
	ce.activity_type = a.strOpt(e.ActivityType)
	if e.AcceptDeny {
		ce.flags = C.ZK_RULING_ACCEPT_DENY
	}
	st := C.zk_ruling_verify(r.p, policyKey.ptr(), ce)
	runtime.KeepAlive(r)
	runtime.KeepAlive(policyKey)
	return check("zk_ruling_verify", st)
}

// Bytes returns the exact signed bytes.
func (r *Ruling) Bytes() ([]byte, error) {
	var out *C.uint8_t
	var n C.size_t
	st := C.zk_ruling_serialize(r.p, &out, &n)
	runtime.KeepAlive(r)
	return checkedMalloced("zk_ruling_serialize", st, out, n, false)
}

// Digest is SHA-256 of the exact bytes.
func (r *Ruling) Digest() []byte {
	out := make([]byte, EvidenceDigestLen)
	if check("zk_ruling_digest", C.zk_ruling_digest(r.p, outPtr(out))) != nil {
		return nil
	}
	runtime.KeepAlive(r)
	return out
}

// Close frees the ruling (idempotent).
func (r *Ruling) Close() {
	if r != nil && r.p != nil {
		C.zk_ruling_free(r.p)
		r.p = nil
		runtime.SetFinalizer(r, nil)
	}
}

// ---------------------------------------------------------- notarizations

// NotarizationInfo are the fields of a notarization record.
type NotarizationInfo struct {
	LogID       string
	Sequence    uint64
	PrevDigest  []byte
	StateDigest []byte
	TimeMs      uint64
}

// Notarization is a parsed or created notarization record.
type Notarization struct {
	p *C.zk_notarization
}

func adoptNotarization(p *C.zk_notarization) *Notarization {
	n := &Notarization{p: p}
	runtime.SetFinalizer(n, (*Notarization).Close)
	return n
}

// CreateNotarization signs a record.
func CreateNotarization(notarizer *Key, info *NotarizationInfo) (*Notarization, error) {
	if err := digestArgs("zk_notarization_create", info.PrevDigest, info.StateDigest); err != nil {
		return nil, err
	}
	var a arena
	defer a.free()
	ci := (*C.zk_notarization_info)(a.alloc(int(unsafe.Sizeof(C.zk_notarization_info{}))))
	ci.log_id = a.str(info.LogID)
	ci.sequence = C.uint64_t(info.Sequence)
	digestTo(&ci.prev_digest, info.PrevDigest)
	digestTo(&ci.state_digest, info.StateDigest)
	ci.time_ms = C.uint64_t(info.TimeMs)
	var p *C.zk_notarization
	st := C.zk_notarization_create(&p, notarizer.ptr(), ci)
	runtime.KeepAlive(notarizer)
	if err := check("zk_notarization_create", st); err != nil {
		return nil, err
	}
	return adoptNotarization(p), nil
}

// Next signs the successor record (sequence + 1, prev = this record's digest).
func (n *Notarization) Next(notarizer *Key, stateDigest []byte, timeMs uint64) (*Notarization, error) {
	if len(stateDigest) != EvidenceDigestLen {
		return nil, &Error{Status: StatusArg, Op: "zk_notarization_next", Offset: -1}
	}
	var p *C.zk_notarization
	st := C.zk_notarization_next(&p, notarizer.ptr(), n.p, inPtr(stateDigest), C.uint64_t(timeMs))
	runtime.KeepAlive(n)
	runtime.KeepAlive(notarizer)
	runtime.KeepAlive(stateDigest)
	if err := check("zk_notarization_next", st); err != nil {
		return nil, err
	}
	return adoptNotarization(p), nil
}

// ParseNotarization parses WITHOUT verifying.
func ParseNotarization(data []byte) (*Notarization, error) {
	var p *C.zk_notarization
	st := C.zk_notarization_parse(&p, inPtr(data), inLen(data))
	runtime.KeepAlive(data)
	if err := check("zk_notarization_parse", st); err != nil {
		return nil, err
	}
	return adoptNotarization(p), nil
}

// Info returns the (unverified until Verify) fields.
func (n *Notarization) Info() NotarizationInfo {
	ci := C.zk_notarization_get_info(n.p)
	out := NotarizationInfo{LogID: C.GoString(ci.log_id), Sequence: uint64(ci.sequence),
		PrevDigest: digestFrom(&ci.prev_digest), StateDigest: digestFrom(&ci.state_digest),
		TimeMs: uint64(ci.time_ms)}
	runtime.KeepAlive(n)
	return out
}

// Verify checks one record: signature, log id ("" = any) and freshness.
func (n *Notarization) Verify(notarizer *Key, logID string, nowMs, maxAgeMs, maxSkewMs uint64) error {
	var a arena
	defer a.free()
	st := C.zk_notarization_verify(n.p, notarizer.ptr(), a.strOpt(logID), C.uint64_t(nowMs),
		C.uint64_t(maxAgeMs), C.uint64_t(maxSkewMs))
	runtime.KeepAlive(n)
	runtime.KeepAlive(notarizer)
	return check("zk_notarization_verify", st)
}

// Bytes returns the exact signed bytes.
func (n *Notarization) Bytes() ([]byte, error) {
	var out *C.uint8_t
	var l C.size_t
	st := C.zk_notarization_serialize(n.p, &out, &l)
	runtime.KeepAlive(n)
	return checkedMalloced("zk_notarization_serialize", st, out, l, false)
}

// Digest is SHA-256 of the exact bytes.
func (n *Notarization) Digest() []byte {
	out := make([]byte, EvidenceDigestLen)
	if check("zk_notarization_digest", C.zk_notarization_digest(n.p, outPtr(out))) != nil {
		return nil
	}
	runtime.KeepAlive(n)
	return out
}

// Close frees the record (idempotent).
func (n *Notarization) Close() {
	if n != nil && n.p != nil {
		C.zk_notarization_free(n.p)
		n.p = nil
		runtime.SetFinalizer(n, nil)
	}
}

// Checkpoint is the highest notarization a verifier accepted before.
type Checkpoint struct {
	Sequence uint64
	Digest   []byte
}

// ChainOptions configure VerifyNotarizationChain.
type ChainOptions struct {
	LogID                   string      // optional
	Checkpoint              *Checkpoint // optional
	NowMs, MaxAgeMs, SkewMs uint64
	VerifyAll               bool // check every record's signature, not only the head's
}

// ChainError is returned by VerifyNotarizationChain; it wraps the *Error.
type ChainError struct {
	Err         *Error
	FailedIndex int
}

func (e *ChainError) Error() string { return e.Err.Error() }

// Unwrap lets errors.Is / errors.As see the status.
func (e *ChainError) Unwrap() error { return e.Err }

// VerifyNotarizationChain verifies records (ascending) as one chain and
// returns the new checkpoint, the head's state digest and time.
func VerifyNotarizationChain(records [][]byte, notarizer *Key, o *ChainOptions) (*Checkpoint, []byte, uint64, error) {
	if o == nil {
		return nil, nil, 0, &Error{Status: StatusArg, Op: "zk_notarization_chain_verify", Offset: -1}
	}
	if o.Checkpoint != nil {
		if err := digestArgs("zk_notarization_chain_verify", o.Checkpoint.Digest); err != nil {
			return nil, nil, 0, err
		}
	}
	var a arena
	defer a.free()
	n := len(records)
	ptrs := unsafe.Slice((**C.uint8_t)(a.alloc((n+1)*int(unsafe.Sizeof(uintptr(0))))), n+1)
	lens := unsafe.Slice((*C.size_t)(a.alloc((n+1)*int(unsafe.Sizeof(C.size_t(0))))), n+1)
	for i, r := range records {
		ptrs[i] = a.bytes(r)
		lens[i] = C.size_t(len(r))
	}
	co := (*C.zk_chain_opts)(a.alloc(int(unsafe.Sizeof(C.zk_chain_opts{}))))
	co.notarizer = notarizer.ptr()
	co.log_id = a.strOpt(o.LogID)
	if o.Checkpoint != nil {
		cp := (*C.zk_checkpoint)(a.alloc(int(unsafe.Sizeof(C.zk_checkpoint{}))))
		cp.sequence = C.uint64_t(o.Checkpoint.Sequence)
		digestTo(&cp.digest, o.Checkpoint.Digest)
		co.checkpoint = cp
	}
	co.now_ms = C.uint64_t(o.NowMs)
	co.max_age_ms = C.uint64_t(o.MaxAgeMs)
	co.max_skew_ms = C.uint64_t(o.SkewMs)
	if o.VerifyAll {
		co.flags = C.ZK_CHAIN_VERIFY_ALL
	}
	res := (*C.zk_chain_result)(a.alloc(int(unsafe.Sizeof(C.zk_chain_result{}))))
	st := C.zk_notarization_chain_verify(res, &ptrs[0], &lens[0], C.size_t(n), co)
	runtime.KeepAlive(notarizer)
	if st != C.ZK_OK {
		return nil, nil, 0, &ChainError{Err: &Error{Status: Status(st), Op: "zk_notarization_chain_verify",
			Offset: -1}, FailedIndex: int(res.failed_index)}
	}
	return &Checkpoint{Sequence: uint64(res.head.sequence), Digest: digestFrom(&res.head.digest)},
		digestFrom(&res.state_digest), uint64(res.time_ms), nil
}

// ------------------------------------------------------- evidence chain

// EvidenceChain is the evidence behind one signature.
type EvidenceChain struct {
	Body            []byte
	Stamp           string
	StampIsWebAuthn bool
	Notarization    []byte
	Ruling          []byte
	SigResult       []byte
	Message         []byte // Ed25519 signature results: the signed message
}

// EvidenceTrust is what the verifier trusts.
type EvidenceTrust struct {
	PolicyKey, NotarizerKey, SignerKey  *Key
	Stamp                               StampVerifyOptions // clock, replay window, WebAuthn
	LogID                               string
	Checkpoint                          *Checkpoint
	NowMs, NotarizationMaxAgeMs, SkewMs uint64
}

// EvidenceChainError carries the status of the failed link in Detail.
type EvidenceChainError struct {
	Err    *Error
	Detail Status
}

func (e *EvidenceChainError) Error() string {
	return e.Err.Error() + " (detail: " + e.Detail.Name() + ")"
}

// Unwrap exposes the chain status (ErrEvidence family).
func (e *EvidenceChainError) Unwrap() error { return e.Err }

// VerifyEvidenceChain checks stamp -> notarization -> ruling -> signature
// result and returns the four digests (stamp, notarization, ruling, result).
func VerifyEvidenceChain(t *EvidenceTrust, c *EvidenceChain) ([4][]byte, error) {
	var digests [4][]byte
	if t == nil || c == nil {
		return digests, &Error{Status: StatusArg, Op: "zk_evidence_chain_verify", Offset: -1}
	}
	var a arena
	defer a.free()
	cc := (*C.zk_evidence_chain)(a.alloc(int(unsafe.Sizeof(C.zk_evidence_chain{}))))
	cc.body, cc.body_len = a.bytes(c.Body), C.size_t(len(c.Body))
	cc.stamp, cc.stamp_len = a.str(c.Stamp), C.size_t(len(c.Stamp))
	if c.StampIsWebAuthn {
		cc.stamp_is_webauthn = 1
	}
	cc.notarization, cc.notarization_len = a.bytes(c.Notarization), C.size_t(len(c.Notarization))
	cc.ruling, cc.ruling_len = a.bytes(c.Ruling), C.size_t(len(c.Ruling))
	cc.sig_result, cc.sig_result_len = a.bytes(c.SigResult), C.size_t(len(c.SigResult))
	cc.message, cc.message_len = a.bytes(c.Message), C.size_t(len(c.Message))
	so := (*C.zk_stamp_verify_opts)(a.alloc(int(unsafe.Sizeof(C.zk_stamp_verify_opts{}))))
	so.key = t.Stamp.Key.ptr()
	so.now_ms = C.uint64_t(t.Stamp.NowMs)
	so.max_age_ms = C.uint64_t(t.Stamp.MaxAgeMs)
	so.max_future_ms = C.uint64_t(t.Stamp.MaxFutureMs)
	if t.Stamp.SkipTimestamp {
		so.flags |= C.ZK_STAMP_NO_TIMESTAMP
	}
	if t.Stamp.RequireUV {
		so.flags |= C.ZK_STAMP_REQUIRE_UV
	}
	if t.Stamp.AllowCrossOrigin {
		so.flags |= C.ZK_STAMP_ALLOW_CROSS_ORIGIN
	}
	so.rp_id = a.strOpt(t.Stamp.RPID)
	if n := len(t.Stamp.Origins); n > 0 {
		origins := unsafe.Slice((**C.char)(a.alloc(n*int(unsafe.Sizeof(uintptr(0))))), n)
		for i, o := range t.Stamp.Origins {
			origins[i] = a.str(o)
		}
		so.origins = &origins[0]
		so.n_origins = C.size_t(n)
	}
	ct := (*C.zk_evidence_trust)(a.alloc(int(unsafe.Sizeof(C.zk_evidence_trust{}))))
	ct.policy_key, ct.notarizer_key, ct.signer_key = t.PolicyKey.ptr(), t.NotarizerKey.ptr(), t.SignerKey.ptr()
	ct.stamp_opts = so
	ct.log_id = a.strOpt(t.LogID)
	if t.Checkpoint != nil {
		cp := (*C.zk_checkpoint)(a.alloc(int(unsafe.Sizeof(C.zk_checkpoint{}))))
		cp.sequence = C.uint64_t(t.Checkpoint.Sequence)
		digestTo(&cp.digest, t.Checkpoint.Digest)
		ct.checkpoint = cp
	}
	ct.now_ms = C.uint64_t(t.NowMs)
	ct.notarization_max_age_ms = C.uint64_t(t.NotarizationMaxAgeMs)
	ct.max_skew_ms = C.uint64_t(t.SkewMs)
	rep := (*C.zk_evidence_chain_report)(a.alloc(int(unsafe.Sizeof(C.zk_evidence_chain_report{}))))
	st := C.zk_evidence_chain_verify(rep, ct, cc)
	runtime.KeepAlive(t.PolicyKey)
	runtime.KeepAlive(t.NotarizerKey)
	runtime.KeepAlive(t.SignerKey)
	runtime.KeepAlive(t.Stamp.Key)
	if st != C.ZK_OK {
		return digests, &EvidenceChainError{Err: &Error{Status: Status(st), Op: "zk_evidence_chain_verify",
			Offset: -1}, Detail: Status(rep.detail)}
	}
	digests[0] = digestFrom(&rep.stamp_digest)
	digests[1] = digestFrom(&rep.notarization_digest)
	digests[2] = digestFrom(&rep.ruling_digest)
	digests[3] = digestFrom(&rep.result_digest)
	return digests, nil
}

// ------------------------------------------------------ signature results

// SigScheme is the inner signature scheme of a signature result.
type SigScheme int

const (
	SchemeECDSADER         SigScheme = C.ZK_SCHEME_ECDSA_DER
	SchemeECDSARaw         SigScheme = C.ZK_SCHEME_ECDSA_RAW
	SchemeECDSARecoverable SigScheme = C.ZK_SCHEME_ECDSA_RECOVERABLE
	SchemeBIP340           SigScheme = C.ZK_SCHEME_BIP340
	SchemeEd25519          SigScheme = C.ZK_SCHEME_ED25519
)

// SigResultInfo are the fields of a signature result.
type SigResultInfo struct {
	Curve         Curve
	Scheme        SigScheme
	PublicKey     []byte
	PayloadDigest []byte
	Signature     []byte
	RulingDigest  []byte
	TimeMs        uint64
}

// SigResult is a parsed or created signature result.
type SigResult struct {
	p *C.zk_sig_result
}

func adoptSigResult(p *C.zk_sig_result) *SigResult {
	r := &SigResult{p: p}
	runtime.SetFinalizer(r, (*SigResult).Close)
	return r
}

// CreateSigResult signs a signature result with the signer enclave key
// (message: the signed message for Ed25519, else nil).
func CreateSigResult(enclaveKey *Key, info *SigResultInfo, message []byte) (*SigResult, error) {
	if err := digestArgs("zk_sig_result_create", info.PayloadDigest, info.RulingDigest); err != nil {
		return nil, err
	}
	var a arena
	defer a.free()
	ci := (*C.zk_sig_result_info)(a.alloc(int(unsafe.Sizeof(C.zk_sig_result_info{}))))
	ci.curve = C.zk_curve(info.Curve)
	ci.scheme = C.zk_sig_scheme(info.Scheme)
	ci.public_key, ci.public_key_len = a.bytes(info.PublicKey), C.size_t(len(info.PublicKey))
	digestTo(&ci.payload_digest, info.PayloadDigest)
	ci.signature, ci.signature_len = a.bytes(info.Signature), C.size_t(len(info.Signature))
	digestTo(&ci.ruling_digest, info.RulingDigest)
	ci.time_ms = C.uint64_t(info.TimeMs)
	var p *C.zk_sig_result
	st := C.zk_sig_result_create(&p, enclaveKey.ptr(), ci, a.bytes(message), C.size_t(len(message)))
	runtime.KeepAlive(enclaveKey)
	if err := check("zk_sig_result_create", st); err != nil {
		return nil, err
	}
	return adoptSigResult(p), nil
}

// ParseSigResult parses WITHOUT verifying.
func ParseSigResult(data []byte) (*SigResult, error) {
	var p *C.zk_sig_result
	st := C.zk_sig_result_parse(&p, inPtr(data), inLen(data))
	runtime.KeepAlive(data)
	if err := check("zk_sig_result_parse", st); err != nil {
		return nil, err
	}
	return adoptSigResult(p), nil
}

// Verify checks the enclave signature, the ruling link and the inner signature.
func (r *SigResult) Verify(enclaveKey *Key, rulingDigest, publicKey, payloadDigest, message []byte) error {
	if err := digestArgs("zk_sig_result_verify", rulingDigest, payloadDigest); err != nil {
		return err
	}
	var a arena
	defer a.free()
	ce := (*C.zk_sig_result_expect)(a.alloc(int(unsafe.Sizeof(C.zk_sig_result_expect{}))))
	ce.ruling_digest = a.bytes(rulingDigest)
	ce.public_key, ce.public_key_len = a.bytes(publicKey), C.size_t(len(publicKey))
	ce.payload_digest = a.bytes(payloadDigest)
	ce.message, ce.message_len = a.bytes(message), C.size_t(len(message))
	st := C.zk_sig_result_verify(r.p, enclaveKey.ptr(), ce)
	runtime.KeepAlive(r)
	runtime.KeepAlive(enclaveKey)
	return check("zk_sig_result_verify", st)
}

// Bytes returns the exact signed bytes.
func (r *SigResult) Bytes() ([]byte, error) {
	var out *C.uint8_t
	var n C.size_t
	st := C.zk_sig_result_serialize(r.p, &out, &n)
	runtime.KeepAlive(r)
	return checkedMalloced("zk_sig_result_serialize", st, out, n, false)
}

// Digest is SHA-256 of the exact bytes.
func (r *SigResult) Digest() []byte {
	out := make([]byte, EvidenceDigestLen)
	if check("zk_sig_result_digest", C.zk_sig_result_digest(r.p, outPtr(out))) != nil {
		return nil
	}
	runtime.KeepAlive(r)
	return out
}

// Close frees the result (idempotent).
func (r *SigResult) Close() {
	if r != nil && r.p != nil {
		C.zk_sig_result_free(r.p)
		r.p = nil
		runtime.SetFinalizer(r, nil)
	}
}
