package zerokey

/*
#include <stdlib.h>
#include <zerokey/qos.h>
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// QOS sizes.
const (
	QOSSeedLen   = C.ZK_QOS_SEED_LEN
	QOSPublicLen = C.ZK_QOS_PUBLIC_LEN
	QOSSigLen    = C.ZK_QOS_SIG_LEN
)

// QOSKeySet is a QuorumOS key set derived from a 32-byte seed; the seed and
// private halves stay in C memory and are wiped by Close.
type QOSKeySet struct {
	p *C.zk_qos_keyset
}

func adoptKeySet(p *C.zk_qos_keyset) *QOSKeySet {
	ks := &QOSKeySet{p: p}
	runtime.SetFinalizer(ks, (*QOSKeySet).Close)
	return ks
}

// QOSKeySetFromSeed derives a key set from a 32-byte master seed.
func QOSKeySetFromSeed(seed []byte) (*QOSKeySet, error) {
	var p *C.zk_qos_keyset
	st := C.zk_qos_keyset_from_seed(&p, inPtr(seed), inLen(seed))
	runtime.KeepAlive(seed)
	if err := check("zk_qos_keyset_from_seed", st); err != nil {
		return nil, err
	}
	return adoptKeySet(p), nil
}

// QOSKeySetFromHex parses the QOS secret file format (64 hex digits).
func QOSKeySetFromHex(text []byte) (*QOSKeySet, error) {
	var p *C.zk_qos_keyset
	cs := C.CBytes(text)
	defer func() { C.zk_free_secret(cs, C.size_t(len(text))) }()
	st := C.zk_qos_keyset_from_hex(&p, (*C.char)(cs), C.size_t(len(text)))
	if err := check("zk_qos_keyset_from_hex", st); err != nil {
		return nil, err
	}
	return adoptKeySet(p), nil
}

// GenerateQOSKeySet creates a key set from a fresh random seed.
func GenerateQOSKeySet() (*QOSKeySet, error) {
	var p *C.zk_qos_keyset
	if err := check("zk_qos_keyset_generate", C.zk_qos_keyset_generate(&p)); err != nil {
		return nil, err
	}
	return adoptKeySet(p), nil
}

// Public returns the 130-byte public key (encrypt half || sign half).
func (ks *QOSKeySet) Public() []byte {
	p := C.zk_qos_keyset_public(ks.p)
	runtime.KeepAlive(ks)
	if p == nil {
		return nil
	}
	return C.GoBytes(unsafe.Pointer(p), QOSPublicLen)
}

// Seed exports the master seed (a secret: Wipe it).
func (ks *QOSKeySet) Seed() ([]byte, error) {
	out := make([]byte, QOSSeedLen)
	st := C.zk_qos_keyset_seed(ks.p, outPtr(out), C.size_t(len(out)))
	runtime.KeepAlive(ks)
	if err := check("zk_qos_keyset_seed", st); err != nil {
		return nil, err
	}
	return out, nil
}

// Sign signs msg with the sign half (ECDSA P-256, SHA-256, RFC 6979, raw r || s).
func (ks *QOSKeySet) Sign(msg []byte) ([]byte, error) {
	sig := make([]byte, QOSSigLen)
	st := C.zk_qos_sign(ks.p, outPtr(sig), C.size_t(len(sig)), inPtr(msg), inLen(msg))
	runtime.KeepAlive(ks)
	runtime.KeepAlive(msg)
	if err := check("zk_qos_sign", st); err != nil {
		return nil, err
	}
	return sig, nil
}

// OpenEnvelope decrypts a QOS envelope addressed to the encrypt half.
func (ks *QOSKeySet) OpenEnvelope(env []byte) ([]byte, error) {
	var pt *C.uint8_t
	var n C.size_t
	st := C.zk_qos_envelope_open(ks.p, &pt, &n, inPtr(env), inLen(env))
	runtime.KeepAlive(ks)
	runtime.KeepAlive(env)
	return checkedMalloced("zk_qos_envelope_open", st, pt, n, true)
}

// Close wipes and frees the key set (idempotent).
func (ks *QOSKeySet) Close() {
	if ks != nil && ks.p != nil {
		C.zk_qos_keyset_free(ks.p)
		ks.p = nil
		runtime.SetFinalizer(ks, nil)
	}
}

// QOSPublicKey is a validated 130-byte QOS public key.
type QOSPublicKey struct {
	p *C.zk_qos_pubkey
}

// ParseQOSPublicKey validates both halves of a 130-byte public key.
func ParseQOSPublicKey(pub []byte) (*QOSPublicKey, error) {
	var p *C.zk_qos_pubkey
	st := C.zk_qos_pubkey_parse(&p, inPtr(pub), inLen(pub))
	runtime.KeepAlive(pub)
	if err := check("zk_qos_pubkey_parse", st); err != nil {
		return nil, err
	}
	pk := &QOSPublicKey{p: p}
	runtime.SetFinalizer(pk, (*QOSPublicKey).Close)
	return pk, nil
}

// Bytes returns the 130 encoded bytes.
func (pk *QOSPublicKey) Bytes() []byte {
	p := C.zk_qos_pubkey_bytes(pk.p)
	runtime.KeepAlive(pk)
	if p == nil {
		return nil
	}
	return C.GoBytes(unsafe.Pointer(p), QOSPublicLen)
}

// Verify checks a raw r || s signature by the sign half over msg.
func (pk *QOSPublicKey) Verify(sig, msg []byte) error {
	st := C.zk_qos_pubkey_verify(pk.p, inPtr(sig), inLen(sig), inPtr(msg), inLen(msg))
	runtime.KeepAlive(pk)
	runtime.KeepAlive(sig)
	runtime.KeepAlive(msg)
	return check("zk_qos_pubkey_verify", st)
}

// SealEnvelope encrypts plaintext to the encrypt half.
func (pk *QOSPublicKey) SealEnvelope(plaintext []byte) ([]byte, error) {
	var out *C.uint8_t
	var n C.size_t
	st := C.zk_qos_envelope_seal(&out, &n, pk.p, inPtr(plaintext), inLen(plaintext))
	runtime.KeepAlive(pk)
	runtime.KeepAlive(plaintext)
	return checkedMalloced("zk_qos_envelope_seal", st, out, n, false)
}

// Close frees the public key (idempotent).
func (pk *QOSPublicKey) Close() {
	if pk != nil && pk.p != nil {
		C.zk_qos_pubkey_free(pk.p)
		pk.p = nil
		runtime.SetFinalizer(pk, nil)
	}
}

// QOSVerify parses a 130-byte public key and verifies sig over msg.
func QOSVerify(pub, sig, msg []byte) error {
	st := C.zk_qos_verify(inPtr(pub), inLen(pub), inPtr(sig), inLen(sig), inPtr(msg), inLen(msg))
	runtime.KeepAlive(pub)
	runtime.KeepAlive(sig)
	runtime.KeepAlive(msg)
	return check("zk_qos_verify", st)
}
