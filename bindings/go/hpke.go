package zerokey

/*
#include <stdlib.h>
#include <zerokey/hpke.h>
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// HPKEMode is the RFC 9180 mode.
type HPKEMode int

const (
	HPKEModeBase    HPKEMode = C.ZK_HPKE_MODE_BASE
	HPKEModePSK     HPKEMode = C.ZK_HPKE_MODE_PSK
	HPKEModeAuth    HPKEMode = C.ZK_HPKE_MODE_AUTH
	HPKEModeAuthPSK HPKEMode = C.ZK_HPKE_MODE_AUTH_PSK
)

// HPKEAEAD is the AEAD identifier.
type HPKEAEAD int

const (
	HPKEAES128GCM        HPKEAEAD = C.ZK_HPKE_AEAD_AES_128_GCM
	HPKEAES256GCM        HPKEAEAD = C.ZK_HPKE_AEAD_AES_256_GCM
	HPKEChaCha20Poly1305 HPKEAEAD = C.ZK_HPKE_AEAD_CHACHA20_POLY1305
	HPKEExportOnly       HPKEAEAD = C.ZK_HPKE_AEAD_EXPORT_ONLY
)

// HPKE sizes.
const (
	HPKEEncLen = C.ZK_HPKE_ENC_LEN
	HPKETagLen = C.ZK_HPKE_TAG_LEN
)

// HPKEParams are shared by sender and receiver (DHKEM(P-256, HKDF-SHA256),
// HKDF-SHA256). AuthKey: the sender's private key on the sender side, the
// sender's public key on the receiver side (auth modes only).
type HPKEParams struct {
	Mode    HPKEMode
	AEAD    HPKEAEAD
	Info    []byte
	PSK     []byte
	PSKID   []byte
	AuthKey *Key
}

// cParams is a zk_hpke_params in C memory (cgo forbids C structures that
// point into Go memory). free wipes the copied PSK.
type cParams struct {
	p *C.zk_hpke_params
}

func newCParams(hp *HPKEParams) cParams {
	p := (*C.zk_hpke_params)(C.calloc(1, C.size_t(unsafe.Sizeof(C.zk_hpke_params{}))))
	if p == nil {
		panic("zerokey: out of memory")
	}
	p.mode = C.zk_hpke_mode(hp.Mode)
	p.aead = C.zk_hpke_aead(hp.AEAD)
	p.info, p.info_len = cCopy(hp.Info)
	p.psk, p.psk_len = cCopy(hp.PSK)
	p.psk_id, p.psk_id_len = cCopy(hp.PSKID)
	p.auth_key = hp.AuthKey.ptr()
	return cParams{p}
}

func (c cParams) free() {
	cFree(c.p.info, c.p.info_len)
	cFree(c.p.psk, c.p.psk_len)
	cFree(c.p.psk_id, c.p.psk_id_len)
	C.free(unsafe.Pointer(c.p))
}

// HPKEDeriveKeyPair is RFC 9180 DeriveKeyPair (>= 32 bytes of ikm).
func HPKEDeriveKeyPair(ikm []byte) (*Key, error) {
	var p *C.zk_key
	st := C.zk_hpke_derive_keypair(&p, inPtr(ikm), inLen(ikm))
	runtime.KeepAlive(ikm)
	if err := check("zk_hpke_derive_keypair", st); err != nil {
		return nil, err
	}
	return adoptKey(p), nil
}

// HPKEContext is a sender or receiver context. Not safe for concurrent use.
type HPKEContext struct {
	p *C.zk_hpke_ctx
}

func adoptCtx(p *C.zk_hpke_ctx) *HPKEContext {
	c := &HPKEContext{p: p}
	runtime.SetFinalizer(c, (*HPKEContext).Close)
	return c
}

// NewHPKESender encapsulates to pkR; returns the context and the 65-byte enc.
func NewHPKESender(params *HPKEParams, pkR *Key) (*HPKEContext, []byte, error) {
	cp := newCParams(params)
	defer cp.free()
	var p *C.zk_hpke_ctx
	enc := make([]byte, HPKEEncLen)
	st := C.zk_hpke_setup_sender(&p, outPtr(enc), C.size_t(len(enc)), cp.p, pkR.ptr())
	runtime.KeepAlive(pkR)
	runtime.KeepAlive(params.AuthKey)
	if err := check("zk_hpke_setup_sender", st); err != nil {
		return nil, nil, err
	}
	return adoptCtx(p), enc, nil
}

// NewHPKEReceiver decapsulates enc with skR.
func NewHPKEReceiver(params *HPKEParams, skR *Key, enc []byte) (*HPKEContext, error) {
	cp := newCParams(params)
	defer cp.free()
	var p *C.zk_hpke_ctx
	st := C.zk_hpke_setup_receiver(&p, cp.p, skR.ptr(), inPtr(enc), inLen(enc))
	runtime.KeepAlive(skR)
	runtime.KeepAlive(params.AuthKey)
	runtime.KeepAlive(enc)
	if err := check("zk_hpke_setup_receiver", st); err != nil {
		return nil, err
	}
	return adoptCtx(p), nil
}

// Seal encrypts the next message (ciphertext || tag).
func (c *HPKEContext) Seal(plaintext, aad []byte) ([]byte, error) {
	ct := make([]byte, len(plaintext)+HPKETagLen)
	n := C.size_t(len(ct))
	st := C.zk_hpke_seal(c.p, outPtr(ct), &n, inPtr(aad), inLen(aad), inPtr(plaintext),
		inLen(plaintext))
	runtime.KeepAlive(c)
	runtime.KeepAlive(plaintext)
	runtime.KeepAlive(aad)
	if err := check("zk_hpke_seal", st); err != nil {
		return nil, err
	}
	return ct[:n:n], nil
}

// Open decrypts the next message; nothing is released on failure.
func (c *HPKEContext) Open(ciphertext, aad []byte) ([]byte, error) {
	capacity := len(ciphertext) - HPKETagLen
	if capacity < 0 {
		capacity = 0
	}
	pt := make([]byte, capacity)
	n := C.size_t(capacity)
	st := C.zk_hpke_open(c.p, outPtr(pt), &n, inPtr(aad), inLen(aad), inPtr(ciphertext),
		inLen(ciphertext))
	runtime.KeepAlive(c)
	runtime.KeepAlive(ciphertext)
	runtime.KeepAlive(aad)
	if err := check("zk_hpke_open", st); err != nil {
		return nil, err
	}
	return pt[:n:n], nil
}

// Export derives n bytes from the exporter secret (RFC 9180 section 5.3).
func (c *HPKEContext) Export(exporterContext []byte, n int) ([]byte, error) {
	out := make([]byte, n)
	st := C.zk_hpke_export(c.p, outPtr(out), C.size_t(n), inPtr(exporterContext),
		inLen(exporterContext))
	runtime.KeepAlive(c)
	runtime.KeepAlive(exporterContext)
	if err := check("zk_hpke_export", st); err != nil {
		return nil, err
	}
	return out, nil
}

// Seq is the sequence number of the next message.
func (c *HPKEContext) Seq() uint64 {
	r := uint64(C.zk_hpke_ctx_seq(c.p))
	runtime.KeepAlive(c)
	return r
}

// Close wipes and frees the context (idempotent).
func (c *HPKEContext) Close() {
	if c != nil && c.p != nil {
		C.zk_hpke_ctx_free(c.p)
		c.p = nil
		runtime.SetFinalizer(c, nil)
	}
}

// HPKESeal is single-shot setup + seal; returns enc and ciphertext || tag.
func HPKESeal(params *HPKEParams, pkR *Key, plaintext, aad []byte) (enc, ct []byte, err error) {
	cp := newCParams(params)
	defer cp.free()
	enc = make([]byte, HPKEEncLen)
	ct = make([]byte, len(plaintext)+HPKETagLen)
	n := C.size_t(len(ct))
	st := C.zk_hpke_seal_once(outPtr(enc), C.size_t(len(enc)), outPtr(ct), &n, cp.p, pkR.ptr(),
		inPtr(aad), inLen(aad), inPtr(plaintext), inLen(plaintext))
	runtime.KeepAlive(pkR)
	runtime.KeepAlive(params.AuthKey)
	runtime.KeepAlive(plaintext)
	runtime.KeepAlive(aad)
	if err = check("zk_hpke_seal_once", st); err != nil {
		return nil, nil, err
	}
	return enc, ct[:n:n], nil
}

// HPKEOpen is single-shot setup + open.
func HPKEOpen(params *HPKEParams, skR *Key, enc, ciphertext, aad []byte) ([]byte, error) {
	cp := newCParams(params)
	defer cp.free()
	capacity := len(ciphertext) - HPKETagLen
	if capacity < 0 {
		capacity = 0
	}
	pt := make([]byte, capacity)
	n := C.size_t(capacity)
	st := C.zk_hpke_open_once(outPtr(pt), &n, cp.p, skR.ptr(), inPtr(enc), inLen(enc),
		inPtr(aad), inLen(aad), inPtr(ciphertext), inLen(ciphertext))
	runtime.KeepAlive(skR)
	runtime.KeepAlive(params.AuthKey)
	runtime.KeepAlive(enc)
	runtime.KeepAlive(ciphertext)
	runtime.KeepAlive(aad)
	if err := check("zk_hpke_open_once", st); err != nil {
		return nil, err
	}
	return pt[:n:n], nil
}
