package zerokey

/*
#include <zerokey/key.h>
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// Curve selects an elliptic curve.
type Curve int

const (
	CurveP256      Curve = C.ZK_CURVE_P256
	CurveSecp256k1 Curve = C.ZK_CURVE_SECP256K1
	CurveEd25519   Curve = C.ZK_CURVE_ED25519
	CurveP384      Curve = C.ZK_CURVE_P384
)

func (c Curve) String() string {
	switch c {
	case CurveP256:
		return "P-256"
	case CurveSecp256k1:
		return "secp256k1"
	case CurveEd25519:
		return "Ed25519"
	case CurveP384:
		return "P-384"
	}
	return "unknown-curve"
}

// PubFormat selects a public key encoding.
type PubFormat int

const (
	PubCompressed   PubFormat = C.ZK_PUB_COMPRESSED   // SEC1 0x02/0x03 || X
	PubUncompressed PubFormat = C.ZK_PUB_UNCOMPRESSED // SEC1 0x04 || X || Y
	PubRaw          PubFormat = C.ZK_PUB_RAW          // Ed25519 32 bytes; EC X || Y
	PubSPKI         PubFormat = C.ZK_PUB_SPKI_DER     // DER SubjectPublicKeyInfo
	PubXOnly        PubFormat = C.ZK_PUB_XONLY        // BIP-340 x-only (secp256k1)
)

// SigFormat selects a signature encoding.
type SigFormat int

const (
	SigDER         SigFormat = C.ZK_SIG_DER         // ECDSA ASN.1 DER (strict)
	SigRaw         SigFormat = C.ZK_SIG_RAW         // ECDSA r || s (P1363 / COSE)
	SigRecoverable SigFormat = C.ZK_SIG_RECOVERABLE // secp256k1 r || s || v
	SigSchnorr     SigFormat = C.ZK_SIG_SCHNORR     // secp256k1 BIP-340
	SigEdDSA       SigFormat = C.ZK_SIG_EDDSA       // Ed25519
)

// VerifyFlags modify verification.
type VerifyFlags uint

// VerifyAllowHighS accepts high-S secp256k1 ECDSA signatures (default: rejected).
const VerifyAllowHighS VerifyFlags = C.ZK_VERIFY_ALLOW_HIGH_S

const (
	maxSecretLen = C.ZK_MAX_SECRET_LEN
	maxPubkeyLen = C.ZK_MAX_PUBKEY_LEN
	maxSigLen    = C.ZK_MAX_SIG_LEN
)

// Key is a private or public key. Private material stays in C memory and is
// wiped by Close (or by the finalizer when the Key becomes unreachable).
// A Key may be used by several goroutines at once; Close must not race with use.
type Key struct {
	p *C.zk_key
}

func adoptKey(p *C.zk_key) *Key {
	k := &Key{p: p}
	runtime.SetFinalizer(k, (*Key).Close)
	return k
}

func (k *Key) ptr() *C.zk_key {
	if k == nil {
		return nil
	}
	return k.p
}

// Close wipes and frees the key. It is idempotent.
func (k *Key) Close() {
	if k != nil && k.p != nil {
		C.zk_key_free(k.p)
		k.p = nil
		runtime.SetFinalizer(k, nil)
	}
}

// GenerateKey creates a fresh private key.
func GenerateKey(c Curve) (*Key, error) {
	var p *C.zk_key
	if err := check("zk_key_generate", C.zk_key_generate(&p, C.zk_curve(c))); err != nil {
		return nil, err
	}
	return adoptKey(p), nil
}

// KeyFromPrivate imports a big-endian scalar (32/48 bytes) or an Ed25519 seed.
func KeyFromPrivate(c Curve, secret []byte) (*Key, error) {
	var p *C.zk_key
	st := C.zk_key_from_private(&p, C.zk_curve(c), inPtr(secret), inLen(secret))
	runtime.KeepAlive(secret)
	if err := check("zk_key_from_private", st); err != nil {
		return nil, err
	}
	return adoptKey(p), nil
}

// KeyFromPublic imports a SEC1, raw X||Y, Ed25519 or BIP-340 x-only public key.
func KeyFromPublic(c Curve, pub []byte) (*Key, error) {
	var p *C.zk_key
	st := C.zk_key_from_public(&p, C.zk_curve(c), inPtr(pub), inLen(pub))
	runtime.KeepAlive(pub)
	if err := check("zk_key_from_public", st); err != nil {
		return nil, err
	}
	return adoptKey(p), nil
}

// KeyFromSPKI imports a DER SubjectPublicKeyInfo.
func KeyFromSPKI(der []byte) (*Key, error) {
	var p *C.zk_key
	st := C.zk_key_from_spki(&p, inPtr(der), inLen(der))
	runtime.KeepAlive(der)
	if err := check("zk_key_from_spki", st); err != nil {
		return nil, err
	}
	return adoptKey(p), nil
}

// RecoverKey recovers a secp256k1 public key from a 65-byte r||s||v signature
// over a 32-byte digest.
func RecoverKey(sig, digest []byte) (*Key, error) {
	var p *C.zk_key
	st := C.zk_key_recover(&p, inPtr(sig), inLen(sig), inPtr(digest), inLen(digest))
	runtime.KeepAlive(sig)
	runtime.KeepAlive(digest)
	if err := check("zk_key_recover", st); err != nil {
		return nil, err
	}
	return adoptKey(p), nil
}

// Curve returns the key's curve (0 for a closed key).
func (k *Key) Curve() Curve {
	c := Curve(C.zk_key_curve(k.ptr()))
	runtime.KeepAlive(k)
	return c
}

// HasPrivate reports whether the key holds a private part.
func (k *Key) HasPrivate() bool {
	r := C.zk_key_has_private(k.ptr()) == 1
	runtime.KeepAlive(k)
	return r
}

// DigestLen is the ECDSA digest size of the key's curve.
func (k *Key) DigestLen() int {
	r := int(C.zk_key_digest_len(k.ptr()))
	runtime.KeepAlive(k)
	return r
}

// PublicEqual reports whether both keys have the same curve and public point.
func (k *Key) PublicEqual(o *Key) bool {
	r := C.zk_key_public_equal(k.ptr(), o.ptr()) == 1
	runtime.KeepAlive(k)
	runtime.KeepAlive(o)
	return r
}

// PublicCopy returns a new key holding only the public part.
func (k *Key) PublicCopy() (*Key, error) {
	var p *C.zk_key
	st := C.zk_key_public_copy(&p, k.ptr())
	runtime.KeepAlive(k)
	if err := check("zk_key_public_copy", st); err != nil {
		return nil, err
	}
	return adoptKey(p), nil
}

// PublicBytes encodes the public key.
func (k *Key) PublicBytes(f PubFormat) ([]byte, error) {
	buf := make([]byte, maxPubkeyLen)
	n := C.size_t(len(buf))
	st := C.zk_key_export_public(k.ptr(), C.zk_pubkey_format(f), outPtr(buf), &n)
	runtime.KeepAlive(k)
	if err := check("zk_key_export_public", st); err != nil {
		return nil, err
	}
	return buf[:n], nil
}

// ExportPrivate returns the raw secret; Wipe it when done.
func (k *Key) ExportPrivate() ([]byte, error) {
	buf := make([]byte, maxSecretLen)
	n := C.size_t(len(buf))
	st := C.zk_key_export_private(k.ptr(), outPtr(buf), &n)
	runtime.KeepAlive(k)
	if err := check("zk_key_export_private", st); err != nil {
		Wipe(buf)
		return nil, err
	}
	Wipe(buf[n:])
	return buf[:n:n], nil
}

// DefaultSigFormat is EdDSA for Ed25519 and DER for the ECDSA curves.
func (k *Key) DefaultSigFormat() SigFormat {
	if k.Curve() == CurveEd25519 {
		return SigEdDSA
	}
	return SigDER
}

// Sign signs msg (ECDSA hashes it with the curve's hash, RFC 6979 nonces).
func (k *Key) Sign(msg []byte, f SigFormat) ([]byte, error) {
	buf := make([]byte, maxSigLen)
	n := C.size_t(len(buf))
	st := C.zk_key_sign(k.ptr(), C.zk_sig_format(f), outPtr(buf), &n, inPtr(msg), inLen(msg))
	runtime.KeepAlive(k)
	runtime.KeepAlive(msg)
	if err := check("zk_key_sign", st); err != nil {
		return nil, err
	}
	return buf[:n:n], nil
}

// SignDigest signs a precomputed digest (ECDSA: DER, Raw or Recoverable).
func (k *Key) SignDigest(digest []byte, f SigFormat) ([]byte, error) {
	buf := make([]byte, maxSigLen)
	n := C.size_t(len(buf))
	st := C.zk_key_sign_digest(k.ptr(), C.zk_sig_format(f), outPtr(buf), &n, inPtr(digest),
		inLen(digest))
	runtime.KeepAlive(k)
	runtime.KeepAlive(digest)
	if err := check("zk_key_sign_digest", st); err != nil {
		return nil, err
	}
	return buf[:n:n], nil
}

// Verify checks sig over msg; nil means valid. Failures: StatusSignature,
// StatusSigEncoding, StatusHighS (all in ErrCrypto).
func (k *Key) Verify(sig, msg []byte, f SigFormat, flags VerifyFlags) error {
	st := C.zk_key_verify(k.ptr(), C.zk_sig_format(f), C.uint(flags), inPtr(sig), inLen(sig),
		inPtr(msg), inLen(msg))
	runtime.KeepAlive(k)
	runtime.KeepAlive(sig)
	runtime.KeepAlive(msg)
	return check("zk_key_verify", st)
}

// VerifyDigest checks an ECDSA signature over a precomputed digest.
func (k *Key) VerifyDigest(sig, digest []byte, f SigFormat, flags VerifyFlags) error {
	st := C.zk_key_verify_digest(k.ptr(), C.zk_sig_format(f), C.uint(flags), inPtr(sig),
		inLen(sig), inPtr(digest), inLen(digest))
	runtime.KeepAlive(k)
	runtime.KeepAlive(sig)
	runtime.KeepAlive(digest)
	return check("zk_key_verify_digest", st)
}

// ECDH returns the X coordinate of k * peer; Wipe it when done.
func (k *Key) ECDH(peer *Key) ([]byte, error) {
	buf := make([]byte, maxSecretLen)
	n := C.size_t(len(buf))
	st := C.zk_ecdh(outPtr(buf), &n, k.ptr(), peer.ptr())
	runtime.KeepAlive(k)
	runtime.KeepAlive(peer)
	if err := check("zk_ecdh", st); err != nil {
		Wipe(buf)
		return nil, err
	}
	Wipe(buf[n:])
	return buf[:n:n], nil
}

// SigDERToRaw converts a DER ECDSA signature to fixed-size r || s.
func SigDERToRaw(c Curve, der []byte) ([]byte, error) {
	buf := make([]byte, maxSigLen)
	n := C.size_t(len(buf))
	st := C.zk_sig_der_to_raw(outPtr(buf), &n, C.zk_curve(c), inPtr(der), inLen(der))
	runtime.KeepAlive(der)
	if err := check("zk_sig_der_to_raw", st); err != nil {
		return nil, err
	}
	return buf[:n:n], nil
}

// SigRawToDER converts a fixed-size r || s ECDSA signature to DER.
func SigRawToDER(c Curve, raw []byte) ([]byte, error) {
	buf := make([]byte, maxSigLen)
	n := C.size_t(len(buf))
	st := C.zk_sig_raw_to_der(outPtr(buf), &n, C.zk_curve(c), inPtr(raw), inLen(raw))
	runtime.KeepAlive(raw)
	if err := check("zk_sig_raw_to_der", st); err != nil {
		return nil, err
	}
	return buf[:n:n], nil
}

var _ = unsafe.Pointer(nil)
