package zerokey

/*
#include <zerokey/crypto.h>
*/
import "C"

import "runtime"

// HashAlg selects SHA-256, SHA-384 or SHA-512.
type HashAlg int

const (
	SHA256 HashAlg = C.ZK_HASH_SHA256
	SHA384 HashAlg = C.ZK_HASH_SHA384
	SHA512 HashAlg = C.ZK_HASH_SHA512
)

// Sizes of the symmetric primitives.
const (
	AESGCMNonceLen = C.ZK_AES_GCM_NONCE_LEN
	AESGCMTagLen   = C.ZK_AES_GCM_TAG_LEN
)

// Size is the digest length of h (0 if unknown).
func (h HashAlg) Size() int { return int(C.zk_hash_len(C.zk_hash_alg(h))) }

func (h HashAlg) outLen() int {
	if n := h.Size(); n > 0 {
		return n
	}
	return 1 // let the C call report ZK_ERR_ARG
}

// Hash returns H(data).
func Hash(h HashAlg, data []byte) ([]byte, error) {
	out := make([]byte, h.outLen())
	st := C.zk_hash(C.zk_hash_alg(h), outPtr(out), C.size_t(len(out)), inPtr(data), inLen(data))
	runtime.KeepAlive(data)
	if err := check("zk_hash", st); err != nil {
		return nil, err
	}
	return out, nil
}

// Sum256 returns SHA-256(data); it panics only if the C library fails.
func Sum256(data []byte) []byte {
	d, err := Hash(SHA256, data)
	if err != nil {
		panic(err)
	}
	return d
}

// HMAC returns the full-length HMAC-H(key, msg).
func HMAC(h HashAlg, key, msg []byte) ([]byte, error) {
	out := make([]byte, h.outLen())
	st := C.zk_hmac(C.zk_hash_alg(h), outPtr(out), C.size_t(len(out)), inPtr(key), inLen(key),
		inPtr(msg), inLen(msg))
	runtime.KeepAlive(key)
	runtime.KeepAlive(msg)
	if err := check("zk_hmac", st); err != nil {
		return nil, err
	}
	return out, nil
}

// HMACVerify checks a (possibly truncated, >= 16 bytes) tag in constant time.
func HMACVerify(h HashAlg, key, msg, tag []byte) error {
	st := C.zk_hmac_verify(C.zk_hash_alg(h), inPtr(tag), inLen(tag), inPtr(key), inLen(key),
		inPtr(msg), inLen(msg))
	runtime.KeepAlive(key)
	runtime.KeepAlive(msg)
	runtime.KeepAlive(tag)
	return check("zk_hmac_verify", st)
}

// HKDF derives n bytes (RFC 5869); Wipe the result when done.
func HKDF(h HashAlg, ikm, salt, info []byte, n int) ([]byte, error) {
	out := make([]byte, n)
	st := C.zk_hkdf(C.zk_hash_alg(h), outPtr(out), C.size_t(n), inPtr(salt), inLen(salt),
		inPtr(ikm), inLen(ikm), inPtr(info), inLen(info))
	runtime.KeepAlive(ikm)
	runtime.KeepAlive(salt)
	runtime.KeepAlive(info)
	if err := check("zk_hkdf", st); err != nil {
		return nil, err
	}
	return out, nil
}

// HKDFExtract returns the pseudorandom key (HashLen bytes).
func HKDFExtract(h HashAlg, ikm, salt []byte) ([]byte, error) {
	out := make([]byte, h.outLen())
	st := C.zk_hkdf_extract(C.zk_hash_alg(h), outPtr(out), C.size_t(len(out)), inPtr(salt),
		inLen(salt), inPtr(ikm), inLen(ikm))
	runtime.KeepAlive(ikm)
	runtime.KeepAlive(salt)
	if err := check("zk_hkdf_extract", st); err != nil {
		return nil, err
	}
	return out, nil
}

// HKDFExpand expands prk to n bytes.
func HKDFExpand(h HashAlg, prk, info []byte, n int) ([]byte, error) {
	out := make([]byte, n)
	st := C.zk_hkdf_expand(C.zk_hash_alg(h), outPtr(out), C.size_t(n), inPtr(prk), inLen(prk),
		inPtr(info), inLen(info))
	runtime.KeepAlive(prk)
	runtime.KeepAlive(info)
	if err := check("zk_hkdf_expand", st); err != nil {
		return nil, err
	}
	return out, nil
}

// AESGCMSeal encrypts with AES-GCM (16/24/32-byte key, 12-byte nonce) and
// returns the ciphertext and the 16-byte tag.
func AESGCMSeal(key, nonce, plaintext, aad []byte) (ct, tag []byte, err error) {
	ct = make([]byte, len(plaintext))
	tag = make([]byte, AESGCMTagLen)
	st := C.zk_aes_gcm_seal(outPtr(ct), outPtr(tag), C.size_t(len(tag)), inPtr(key), inLen(key),
		inPtr(nonce), inLen(nonce), inPtr(aad), inLen(aad), inPtr(plaintext), inLen(plaintext))
	runtime.KeepAlive(key)
	runtime.KeepAlive(nonce)
	runtime.KeepAlive(aad)
	runtime.KeepAlive(plaintext)
	if err = check("zk_aes_gcm_seal", st); err != nil {
		return nil, nil, err
	}
	return ct, tag, nil
}

// AESGCMOpen authenticates and decrypts; any mismatch gives StatusDecrypt.
func AESGCMOpen(key, nonce, ciphertext, tag, aad []byte) ([]byte, error) {
	pt := make([]byte, len(ciphertext))
	st := C.zk_aes_gcm_open(outPtr(pt), inPtr(key), inLen(key), inPtr(nonce), inLen(nonce),
		inPtr(aad), inLen(aad), inPtr(ciphertext), inLen(ciphertext), inPtr(tag), inLen(tag))
	runtime.KeepAlive(key)
	runtime.KeepAlive(nonce)
	runtime.KeepAlive(aad)
	runtime.KeepAlive(ciphertext)
	runtime.KeepAlive(tag)
	if err := check("zk_aes_gcm_open", st); err != nil {
		return nil, err
	}
	return pt, nil
}
