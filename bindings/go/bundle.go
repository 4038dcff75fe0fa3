package zerokey

/*
#include <stdlib.h>
#include <zerokey/bundle.h>
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// cStrOpt returns a C copy of *s (free with freeC), or nil for a nil pointer.
func cStrOpt(s *string) *C.char {
	if s == nil {
		return nil
	}
	return C.CString(*s)
}

func freeC(p *C.char) {
	if p != nil {
		C.free(unsafe.Pointer(p))
	}
}

func bundleString(op string, st C.zk_status, out *C.char, n C.size_t) (string, error) {
	if err := check(op, st); err != nil {
		return "", err
	}
	return string(takeMalloced((*C.uint8_t)(unsafe.Pointer(out)), n, false)), nil
}

// BundleExportOpen verifies a v1 export bundle (pinned enclave key,
// signature, organization) and opens it with the client's target key.
func BundleExportOpen(bundle string, enclaveKey *Key, organizationID string, targetKey *Key) ([]byte, error) {
	cb, org := C.CString(bundle), C.CString(organizationID)
	defer freeC(cb)
	defer freeC(org)
	var pt *C.uint8_t
	var n C.size_t
	st := C.zk_bundle_export_open(&pt, &n, cb, C.size_t(len(bundle)), enclaveKey.ptr(), org, targetKey.ptr())
	runtime.KeepAlive(enclaveKey)
	runtime.KeepAlive(targetKey)
	return checkedMalloced("zk_bundle_export_open", st, pt, n, true)
}

// BundleImportSeal verifies a signed import target bundle and encrypts
// plaintext to it (userID nil: the target must carry no userId).
func BundleImportSeal(targetBundle string, enclaveKey *Key, organizationID string, userID *string, plaintext []byte) (string, error) {
	cb, org, uid := C.CString(targetBundle), C.CString(organizationID), cStrOpt(userID)
	defer freeC(cb)
	defer freeC(org)
	defer freeC(uid)
	var out *C.char
	var n C.size_t
	st := C.zk_bundle_import_seal(&out, &n, cb, C.size_t(len(targetBundle)), enclaveKey.ptr(), org, uid,
		inPtr(plaintext), inLen(plaintext))
	runtime.KeepAlive(enclaveKey)
	runtime.KeepAlive(plaintext)
	return bundleString("zk_bundle_import_seal", st, out, n)
}

// BundleCredentialOpen opens a base58check credential / auth bundle.
func BundleCredentialOpen(bundle string, targetKey *Key) ([]byte, error) {
	cb := C.CString(bundle)
	defer freeC(cb)
	var pt *C.uint8_t
	var n C.size_t
	st := C.zk_bundle_credential_open(&pt, &n, cb, C.size_t(len(bundle)), targetKey.ptr())
	runtime.KeepAlive(targetKey)
	return checkedMalloced("zk_bundle_credential_open", st, pt, n, true)
}

// BundleCredentialSeal encrypts plaintext to target as a base58check bundle.
func BundleCredentialSeal(target *Key, plaintext []byte) (string, error) {
	var out *C.char
	var n C.size_t
	st := C.zk_bundle_credential_seal(&out, &n, target.ptr(), inPtr(plaintext), inLen(plaintext))
	runtime.KeepAlive(target)
	runtime.KeepAlive(plaintext)
	return bundleString("zk_bundle_credential_seal", st, out, n)
}

// BundleSealToKey encrypts plaintext to an enclave key as {"encappedPublic","ciphertext"}.
func BundleSealToKey(target *Key, plaintext []byte) (string, error) {
	var out *C.char
	var n C.size_t
	st := C.zk_bundle_seal_to_key(&out, &n, target.ptr(), inPtr(plaintext), inLen(plaintext))
	runtime.KeepAlive(target)
	runtime.KeepAlive(plaintext)
	return bundleString("zk_bundle_seal_to_key", st, out, n)
}

// BundleV0Verify checks a legacy enclave DER signature over a 65-byte public key.
func BundleV0Verify(enclaveKey *Key, signedPub, sigDER []byte) error {
	st := C.zk_bundle_v0_verify(enclaveKey.ptr(), inPtr(signedPub), inLen(signedPub), inPtr(sigDER), inLen(sigDER))
	runtime.KeepAlive(enclaveKey)
	runtime.KeepAlive(signedPub)
	runtime.KeepAlive(sigDER)
	return check("zk_bundle_v0_verify", st)
}

// BundleExportCreate (enclave side) seals plaintext to target and signs the v1 envelope.
func BundleExportCreate(signingKey, target *Key, organizationID string, plaintext []byte) (string, error) {
	org := C.CString(organizationID)
	defer freeC(org)
	var out *C.char
	var n C.size_t
	st := C.zk_bundle_export_create(&out, &n, signingKey.ptr(), target.ptr(), org, inPtr(plaintext), inLen(plaintext))
	runtime.KeepAlive(signingKey)
	runtime.KeepAlive(target)
	runtime.KeepAlive(plaintext)
	return bundleString("zk_bundle_export_create", st, out, n)
}

// BundleTargetCreate (enclave side) signs a v1 target bundle (userID nil for OTP).
func BundleTargetCreate(signingKey, target *Key, organizationID string, userID *string) (string, error) {
	org, uid := C.CString(organizationID), cStrOpt(userID)
	defer freeC(org)
	defer freeC(uid)
	var out *C.char
	var n C.size_t
	st := C.zk_bundle_target_create(&out, &n, signingKey.ptr(), target.ptr(), org, uid)
	runtime.KeepAlive(signingKey)
	runtime.KeepAlive(target)
	return bundleString("zk_bundle_target_create", st, out, n)
}

// BundleEncryptedOpen (enclave side) opens {"encappedPublic","ciphertext"} with the target key.
func BundleEncryptedOpen(bundle string, targetKey *Key) ([]byte, error) {
	cb := C.CString(bundle)
	defer freeC(cb)
	var pt *C.uint8_t
	var n C.size_t
	st := C.zk_bundle_encrypted_open(&pt, &n, cb, C.size_t(len(bundle)), targetKey.ptr())
	runtime.KeepAlive(targetKey)
	return checkedMalloced("zk_bundle_encrypted_open", st, pt, n, true)
}
