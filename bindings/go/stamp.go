package zerokey

/*
#include <stdlib.h>
#include <zerokey/stamp.h>
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// StampScheme identifies a stamp format.
type StampScheme int

const (
	StampP256            StampScheme = C.ZK_STAMP_P256
	StampSecp256k1       StampScheme = C.ZK_STAMP_SECP256K1
	StampEd25519         StampScheme = C.ZK_STAMP_ED25519
	StampSecp256k1EIP191 StampScheme = C.ZK_STAMP_SECP256K1_EIP191
	StampWebAuthn        StampScheme = C.ZK_STAMP_WEBAUTHN
)

// Name is the canonical scheme string ("SIGNATURE_SCHEME_TK_API_P256", ...).
func (s StampScheme) Name() string { return C.GoString(C.zk_stamp_scheme_name(C.zk_stamp_scheme(s))) }

// WebAuthn authenticator-data flags for CreateWebAuthnStamp.
const (
	WebAuthnFlagUP = 0x01
	WebAuthnFlagUV = 0x04
)

// StampVerifyOptions configure Stamp.Verify.
type StampVerifyOptions struct {
	// Key: API-key stamps, optional pinned key (StatusEVSigner if it differs);
	// WebAuthn stamps, the registered credential key (required).
	Key         *Key
	NowMs       uint64 // verifier's trusted clock (ms since the epoch)
	MaxAgeMs    uint64 // 0 = library default (1 h)
	MaxFutureMs uint64 // 0 = library default (30 s)
	// SkipTimestamp disables the body "timestampMs" replay-window check.
	SkipTimestamp    bool
	RequireUV        bool
	AllowCrossOrigin bool
	RPID             string   // WebAuthn
	Origins          []string // WebAuthn: exact allowed origins
}

// CreateStamp returns an X-Stamp header value for body.
func CreateStamp(key *Key, scheme StampScheme, body []byte) (string, error) {
	var out *C.char
	var n C.size_t
	st := C.zk_stamp_create(&out, &n, key.ptr(), C.zk_stamp_scheme(scheme), inPtr(body), inLen(body))
	runtime.KeepAlive(key)
	runtime.KeepAlive(body)
	if err := check("zk_stamp_create", st); err != nil {
		return "", err
	}
	return string(takeMalloced((*C.uint8_t)(unsafe.Pointer(out)), n, false)), nil
}

// CreateWebAuthnStamp returns an X-Stamp-Webauthn header value, as a software
// authenticator would produce it.
func CreateWebAuthnStamp(key *Key, credentialID []byte, rpID, origin string, flags uint8,
	signCount uint32, body []byte) (string, error) {
	cRP, cOrigin := C.CString(rpID), C.CString(origin)
	defer C.free(unsafe.Pointer(cRP))
	defer C.free(unsafe.Pointer(cOrigin))
	var out *C.char
	var n C.size_t
	st := C.zk_stamp_create_webauthn(&out, &n, key.ptr(), inPtr(credentialID), inLen(credentialID),
		cRP, cOrigin, C.uint8_t(flags), C.uint32_t(signCount), inPtr(body), inLen(body))
	runtime.KeepAlive(key)
	runtime.KeepAlive(credentialID)
	runtime.KeepAlive(body)
	if err := check("zk_stamp_create_webauthn", st); err != nil {
		return "", err
	}
	return string(takeMalloced((*C.uint8_t)(unsafe.Pointer(out)), n, false)), nil
}

// CheckStampTimestamp checks the body's timestampMs replay window alone.
func CheckStampTimestamp(body []byte, nowMs, maxAgeMs, maxFutureMs uint64) (uint64, error) {
	var ts C.uint64_t
	st := C.zk_stamp_check_timestamp(&ts, inPtr(body), inLen(body), C.uint64_t(nowMs),
		C.uint64_t(maxAgeMs), C.uint64_t(maxFutureMs))
	runtime.KeepAlive(body)
	if err := check("zk_stamp_check_timestamp", st); err != nil {
		return 0, err
	}
	return uint64(ts), nil
}

// Stamp is a parsed, UNVERIFIED stamp.
type Stamp struct {
	p            *C.zk_stamp
	Scheme       StampScheme
	PublicKey    []byte // API-key stamps
	Signature    []byte
	CredentialID []byte // WebAuthn
	SignCount    uint32 // WebAuthn (unverified until Verify succeeds)
	Digest       []byte // SHA-256 of the exact header bytes
}

func parseStamp(op string, header string, webauthn bool) (*Stamp, error) {
	cs := C.CString(header)
	defer C.free(unsafe.Pointer(cs))
	var p *C.zk_stamp
	var st C.zk_status
	if webauthn {
		st = C.zk_stamp_parse_webauthn(&p, cs, C.size_t(len(header)))
	} else {
		st = C.zk_stamp_parse(&p, cs, C.size_t(len(header)))
	}
	if err := check(op, st); err != nil {
		return nil, err
	}
	s := &Stamp{p: p, Scheme: StampScheme(C.zk_stamp_get_scheme(p))}
	var n C.size_t
	s.PublicKey = goBytes(C.zk_stamp_public_key(p, &n), n)
	s.Signature = goBytes(C.zk_stamp_signature(p, &n), n)
	s.CredentialID = goBytes(C.zk_stamp_credential_id(p, &n), n)
	s.SignCount = uint32(C.zk_stamp_sign_count(p))
	s.Digest = make([]byte, C.ZK_STAMP_DIGEST_LEN)
	if err := check("zk_stamp_digest", C.zk_stamp_digest(p, outPtr(s.Digest))); err != nil {
		C.zk_stamp_free(p)
		return nil, err
	}
	runtime.SetFinalizer(s, (*Stamp).Close)
	return s, nil
}

// ParseStamp parses an X-Stamp header value without verifying it.
func ParseStamp(header string) (*Stamp, error) { return parseStamp("zk_stamp_parse", header, false) }

// ParseWebAuthnStamp parses an X-Stamp-Webauthn header value without verifying it.
func ParseWebAuthnStamp(header string) (*Stamp, error) {
	return parseStamp("zk_stamp_parse_webauthn", header, true)
}

// Verify checks the signature over the exact body bytes, then the replay window.
func (s *Stamp) Verify(body []byte, o *StampVerifyOptions) error {
	if s.p == nil {
		return &Error{Status: StatusState, Op: "zk_stamp_verify", Offset: -1}
	}
	if o == nil { // the C call requires options too
		return &Error{Status: StatusArg, Op: "zk_stamp_verify", Offset: -1}
	}
	opts := (*C.zk_stamp_verify_opts)(C.calloc(1, C.size_t(unsafe.Sizeof(C.zk_stamp_verify_opts{}))))
	if opts == nil {
		panic("zerokey: out of memory")
	}
	defer C.free(unsafe.Pointer(opts))
	opts.key = o.Key.ptr()
	opts.now_ms = C.uint64_t(o.NowMs)
	opts.max_age_ms = C.uint64_t(o.MaxAgeMs)
	opts.max_future_ms = C.uint64_t(o.MaxFutureMs)
	var flags C.uint
	if o.SkipTimestamp {
		flags |= C.ZK_STAMP_NO_TIMESTAMP
	}
	if o.RequireUV {
		flags |= C.ZK_STAMP_REQUIRE_UV
	}
	if o.AllowCrossOrigin {
		flags |= C.ZK_STAMP_ALLOW_CROSS_ORIGIN
	}
	opts.flags = flags
	if o.RPID != "" {
		opts.rp_id = C.CString(o.RPID)
		defer C.free(unsafe.Pointer(opts.rp_id))
	}
	if len(o.Origins) > 0 {
		arr := C.calloc(C.size_t(len(o.Origins)), C.size_t(unsafe.Sizeof(uintptr(0))))
		if arr == nil {
			panic("zerokey: out of memory")
		}
		ptrs := unsafe.Slice((**C.char)(arr), len(o.Origins))
		for i, origin := range o.Origins {
			ptrs[i] = C.CString(origin)
		}
		defer func() {
			for _, p := range ptrs {
				C.free(unsafe.Pointer(p))
			}
			C.free(arr)
		}()
		opts.origins = (**C.char)(arr)
		opts.n_origins = C.size_t(len(o.Origins))
	}
	st := C.zk_stamp_verify(s.p, inPtr(body), inLen(body), opts)
	runtime.KeepAlive(s)
	runtime.KeepAlive(o.Key)
	runtime.KeepAlive(body)
	return check("zk_stamp_verify", st)
}

// Close frees the stamp (idempotent).
func (s *Stamp) Close() {
	if s != nil && s.p != nil {
		C.zk_stamp_free(s.p)
		s.p = nil
		runtime.SetFinalizer(s, nil)
	}
}
