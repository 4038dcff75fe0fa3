package zerokey

/*
#include <stdlib.h>
#include <zerokey/fetch_proof.h>
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// Fetch proof limits.
const (
	FetchType      = C.ZK_FETCH_TYPE
	FetchMaxMethod = C.ZK_FETCH_MAX_METHOD
	FetchMaxCerts  = C.ZK_FETCH_MAX_CERTS
)

// FetchInfo are the fields of a fetch proof: "request (Method, URL, body
// digest RequestDigest) got HTTP Status with HeadersDigest and BodyDigest at
// TimeMs over a TLS session whose server chain has CertChainDigest". The four
// digests are 32 bytes (SHA-256; CertChainDigest from FetchCertChainDigest).
type FetchInfo struct {
	Method          string
	URL             string
	RequestDigest   []byte
	Status          uint32
	HeadersDigest   []byte
	BodyDigest      []byte
	CertChainDigest []byte
	TimeMs          uint64
}

// FetchExpect is what the consumer holds and requires. URL, Body (the body
// the consumer received; nil for an empty body), NowMs and MaxAgeMs (> 0) are
// required; Method ("" = not checked), RequestDigest and CertChainDigest (nil
// = not checked; 32 bytes otherwise) are optional.
type FetchExpect struct {
	URL                     string
	Body                    []byte
	NowMs, MaxAgeMs, SkewMs uint64
	Method                  string
	RequestDigest           []byte
	CertChainDigest         []byte
}

// FetchProof is a parsed or created fetch proof (fields UNVERIFIED until Verify).
type FetchProof struct {
	p *C.zk_fetch_proof
}

func adoptFetchProof(p *C.zk_fetch_proof) *FetchProof {
	f := &FetchProof{p: p}
	runtime.SetFinalizer(f, (*FetchProof).Close)
	return f
}

func (f *FetchProof) ptr() *C.zk_fetch_proof {
	if f == nil {
		return nil
	}
	return f.p
}

// digestArg fails with StatusArg unless b is a 32-byte digest (or nil when optional).
func digestArg(op string, b []byte, optional bool) error {
	if (optional && b == nil) || len(b) == EvidenceDigestLen {
		return nil
	}
	return &Error{Status: StatusArg, Op: op, Offset: -1}
}

// FetchCertChainDigest is SHA-256(SHA-256(der[0]) || SHA-256(der[1]) || ...)
// of a server certificate chain, leaf first (1..FetchMaxCerts certificates).
func FetchCertChainDigest(ders [][]byte) ([]byte, error) {
	var a arena
	defer a.free()
	n := len(ders)
	ptrs := unsafe.Slice((**C.uint8_t)(a.alloc((n+1)*int(unsafe.Sizeof(uintptr(0))))), n+1)
	lens := unsafe.Slice((*C.size_t)(a.alloc((n+1)*int(unsafe.Sizeof(C.size_t(0))))), n+1)
	for i, d := range ders {
		ptrs[i] = a.bytes(d)
		if ptrs[i] == nil { // a nil certificate is an empty one
			ptrs[i] = (*C.uint8_t)(a.alloc(1))
		}
		lens[i] = C.size_t(len(d))
	}
	out := make([]byte, EvidenceDigestLen)
	st := C.zk_fetch_cert_chain_digest(outPtr(out), &ptrs[0], &lens[0], C.size_t(n))
	if err := check("zk_fetch_cert_chain_digest", st); err != nil {
		return nil, err
	}
	return out, nil
}

// CreateFetchProof signs a fetch proof with the fetcher key.
func CreateFetchProof(fetcher *Key, info *FetchInfo) (*FetchProof, error) {
	const op = "zk_fetch_proof_create"
	if info == nil {
		return nil, &Error{Status: StatusArg, Op: op, Offset: -1}
	}
	for _, d := range [][]byte{info.RequestDigest, info.HeadersDigest, info.BodyDigest, info.CertChainDigest} {
		if err := digestArg(op, d, false); err != nil {
			return nil, err
		}
	}
	var a arena
	defer a.free()
	ci := (*C.zk_fetch_info)(a.alloc(int(unsafe.Sizeof(C.zk_fetch_info{}))))
	ci.method = a.str(info.Method)
	ci.url = a.str(info.URL)
	digestTo(&ci.request_digest, info.RequestDigest)
	ci.status = C.uint32_t(info.Status)
	digestTo(&ci.headers_digest, info.HeadersDigest)
	digestTo(&ci.body_digest, info.BodyDigest)
	digestTo(&ci.cert_chain_digest, info.CertChainDigest)
	ci.time_ms = C.uint64_t(info.TimeMs)
	var p *C.zk_fetch_proof
	st := C.zk_fetch_proof_create(&p, fetcher.ptr(), ci)
	runtime.KeepAlive(fetcher)
	if err := check(op, st); err != nil {
		return nil, err
	}
	return adoptFetchProof(p), nil
}

// ParseFetchProof parses WITHOUT verifying.
func ParseFetchProof(data []byte) (*FetchProof, error) {
	var p *C.zk_fetch_proof
	st := C.zk_fetch_proof_parse(&p, inPtr(data), inLen(data))
	runtime.KeepAlive(data)
	if err := check("zk_fetch_proof_parse", st); err != nil {
		return nil, err
	}
	return adoptFetchProof(p), nil
}

// Info returns the (unverified until Verify) fields; nil when closed.
func (f *FetchProof) Info() *FetchInfo {
	ci := C.zk_fetch_proof_get_info(f.ptr())
	if ci == nil {
		return nil
	}
	out := &FetchInfo{Method: C.GoString(ci.method), URL: C.GoString(ci.url),
		RequestDigest: digestFrom(&ci.request_digest), Status: uint32(ci.status),
		HeadersDigest: digestFrom(&ci.headers_digest), BodyDigest: digestFrom(&ci.body_digest),
		CertChainDigest: digestFrom(&ci.cert_chain_digest), TimeMs: uint64(ci.time_ms)}
	runtime.KeepAlive(f)
	return out
}

// Verify checks the fetcher's signature, the URL, the body the consumer
// holds, the optional method / request digest / certificate chain and the
// time window [NowMs - MaxAgeMs, NowMs + SkewMs].
func (f *FetchProof) Verify(fetcher *Key, e *FetchExpect) error {
	const op = "zk_fetch_proof_verify"
	if e == nil {
		return &Error{Status: StatusArg, Op: op, Offset: -1}
	}
	if err := digestArg(op, e.RequestDigest, true); err != nil {
		return err
	}
	if err := digestArg(op, e.CertChainDigest, true); err != nil {
		return err
	}
	var a arena
	defer a.free()
	ce := (*C.zk_fetch_expect)(a.alloc(int(unsafe.Sizeof(C.zk_fetch_expect{}))))
	ce.url = a.str(e.URL)
	ce.body, ce.body_len = a.bytes(e.Body), C.size_t(len(e.Body))
	ce.now_ms = C.uint64_t(e.NowMs)
	ce.max_age_ms = C.uint64_t(e.MaxAgeMs)
	ce.max_skew_ms = C.uint64_t(e.SkewMs)
	ce.method = a.strOpt(e.Method)
	ce.request_digest = a.bytes(e.RequestDigest)
	ce.cert_chain_digest = a.bytes(e.CertChainDigest)
	st := C.zk_fetch_proof_verify(f.ptr(), fetcher.ptr(), ce)
	runtime.KeepAlive(f)
	runtime.KeepAlive(fetcher)
	return check(op, st)
}

// Bytes returns the exact signed bytes.
func (f *FetchProof) Bytes() ([]byte, error) {
	var out *C.uint8_t
	var n C.size_t
	st := C.zk_fetch_proof_serialize(f.ptr(), &out, &n)
	runtime.KeepAlive(f)
	return checkedMalloced("zk_fetch_proof_serialize", st, out, n, false)
}

// Digest is SHA-256 of the exact bytes (nil when closed).
func (f *FetchProof) Digest() []byte {
	out := make([]byte, EvidenceDigestLen)
	st := C.zk_fetch_proof_digest(f.ptr(), outPtr(out))
	runtime.KeepAlive(f)
	if check("zk_fetch_proof_digest", st) != nil {
		return nil
	}
	return out
}

// Close frees the proof (idempotent).
func (f *FetchProof) Close() {
	if f != nil && f.p != nil {
		C.zk_fetch_proof_free(f.p)
		f.p = nil
		runtime.SetFinalizer(f, nil)
	}
}
