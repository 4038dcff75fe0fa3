package zerokey

/*
#include <zerokey/cose.h>
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// COSE algorithm identifiers.
const (
	COSEAlgES256  = C.ZK_COSE_ALG_ES256
	COSEAlgEdDSA  = C.ZK_COSE_ALG_EDDSA
	COSEAlgES384  = C.ZK_COSE_ALG_ES384
	COSEAlgES256K = C.ZK_COSE_ALG_ES256K
)

// COSESign1Create signs payload into a COSE_Sign1 (algorithm from the key's
// curve; kid and externalAAD may be nil).
func COSESign1Create(key *Key, payload, kid, externalAAD []byte, tagged bool) ([]byte, error) {
	var out *C.uint8_t
	var n C.size_t
	var flags C.uint
	if tagged {
		flags = C.ZK_COSE_TAGGED
	}
	var kidPtr *C.uint8_t
	if kid != nil {
		kidPtr = inPtr(kid)
	}
	st := C.zk_cose_sign1_create(&out, &n, key.ptr(), kidPtr, inLen(kid), inPtr(payload),
		inLen(payload), inPtr(externalAAD), inLen(externalAAD), flags)
	runtime.KeepAlive(key)
	runtime.KeepAlive(payload)
	runtime.KeepAlive(kid)
	runtime.KeepAlive(externalAAD)
	return checkedMalloced("zk_cose_sign1_create", st, out, n, false)
}

// COSESigStructure builds ["Signature1", protected, external_aad, payload].
func COSESigStructure(protected, payload, externalAAD []byte) ([]byte, error) {
	var out *C.uint8_t
	var n C.size_t
	st := C.zk_cose_sig_structure(&out, &n, inPtr(protected), inLen(protected),
		inPtr(externalAAD), inLen(externalAAD), inPtr(payload), inLen(payload))
	runtime.KeepAlive(protected)
	runtime.KeepAlive(payload)
	runtime.KeepAlive(externalAAD)
	return checkedMalloced("zk_cose_sig_structure", st, out, n, false)
}

// COSESign1 is a strictly parsed COSE_Sign1. Its fields are UNVERIFIED until
// Verify returns nil.
type COSESign1 struct {
	p         *C.zk_cose_sign1
	Payload   []byte
	Protected []byte
	Signature []byte
	KID       []byte // nil when absent
	Alg       int64
	Tagged    bool
}

func goBytes(p *C.uint8_t, n C.size_t) []byte {
	if p == nil {
		return nil
	}
	return C.GoBytes(unsafe.Pointer(p), C.int(n))
}

// ParseCOSESign1 parses data (tagged or untagged) without verifying it.
func ParseCOSESign1(data []byte) (*COSESign1, error) {
	var p *C.zk_cose_sign1
	var off C.size_t
	st := C.zk_cose_sign1_parse(&p, inPtr(data), inLen(data), &off)
	runtime.KeepAlive(data)
	if err := checkOff("zk_cose_sign1_parse", st, off); err != nil {
		return nil, err
	}
	m := &COSESign1{p: p}
	var n C.size_t
	m.Payload = goBytes(C.zk_cose_sign1_payload(p, &n), n)
	m.Protected = goBytes(C.zk_cose_sign1_protected(p, &n), n)
	m.Signature = goBytes(C.zk_cose_sign1_signature(p, &n), n)
	m.KID = goBytes(C.zk_cose_sign1_kid(p, &n), n)
	m.Alg = int64(C.zk_cose_sign1_alg(p))
	m.Tagged = C.zk_cose_sign1_is_tagged(p) == 1
	runtime.SetFinalizer(m, (*COSESign1).Close)
	return m, nil
}

// Verify checks the signature with key (alg must match the key's curve).
func (m *COSESign1) Verify(key *Key, externalAAD []byte) error {
	if m.p == nil {
		return &Error{Status: StatusState, Op: "zk_cose_sign1_verify", Offset: -1}
	}
	st := C.zk_cose_sign1_verify(m.p, key.ptr(), inPtr(externalAAD), inLen(externalAAD))
	runtime.KeepAlive(m)
	runtime.KeepAlive(key)
	runtime.KeepAlive(externalAAD)
	return check("zk_cose_sign1_verify", st)
}

// Close frees the C object (idempotent).
func (m *COSESign1) Close() {
	if m != nil && m.p != nil {
		C.zk_cose_sign1_free(m.p)
		m.p = nil
		runtime.SetFinalizer(m, nil)
	}
}

// COSESign1Verify parses and verifies data, returning the verified payload.
func COSESign1Verify(data []byte, key *Key, externalAAD []byte) ([]byte, error) {
	m, err := ParseCOSESign1(data)
	if err != nil {
		return nil, err
	}
	defer m.Close()
	if err := m.Verify(key, externalAAD); err != nil {
		return nil, err
	}
	return m.Payload, nil
}
