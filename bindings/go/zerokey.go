// Package zerokey is the Go (cgo) binding of libzerokey, the C library for
// verifiable key-management evidence: keys and signatures, hashes, HKDF,
// AES-GCM, COSE_Sign1, HPKE, Shamir sharing, request stamps, Nitro
// attestation verification, signed evidence (rulings, notarizations, fetch
// proofs, signature results), QuorumOS key sets, manifests, boot and app
// proofs, and trust backends (the Nitro Secure Module and its mock).
//
// The package links libzerokey through pkg-config ("#cgo pkg-config: zerokey");
// point PKG_CONFIG_PATH at an install prefix's lib/pkgconfig (see
// docs/bindings.md). Every operation is performed by the C library; the Go
// code only converts arguments and results.
//
// Errors: every failure is an *Error carrying the C status. Use errors.Is with
// a Status (errors.Is(err, zerokey.StatusSignature)) or with a family sentinel
// (errors.Is(err, zerokey.ErrCrypto)).
//
// Secrets: functions returning secret bytes (private keys, ECDH and HKDF
// output, plaintexts, shares) return slices the caller should clear with Wipe
// when done. Go's heap is not moved by the garbage collector, but the runtime
// may still hold copies (e.g. after append growth); wiping is best effort.
package zerokey

/*
#cgo pkg-config: zerokey
#include <stdlib.h>
#include <string.h>
#include <zerokey/common.h>

// A valid non-NULL pointer for empty inputs (never written).
static uint8_t zkgo_empty[1];
static uint8_t *zkgo_empty_ptr(void) { return zkgo_empty; }
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// Version returns the version string of the linked C library.
func Version() string { return C.GoString(C.zk_version()) }

// inPtr returns a C pointer to the bytes of b (Go memory without Go pointers,
// allowed by the cgo rules for the duration of the call) or a static non-NULL
// pointer for an empty slice.
func inPtr(b []byte) *C.uint8_t {
	if len(b) == 0 {
		return C.zkgo_empty_ptr()
	}
	return (*C.uint8_t)(unsafe.Pointer(&b[0]))
}

func inLen(b []byte) C.size_t { return C.size_t(len(b)) }

// outPtr returns a C pointer to the first byte of a non-empty output buffer.
func outPtr(b []byte) *C.uint8_t {
	if len(b) == 0 {
		return C.zkgo_empty_ptr()
	}
	return (*C.uint8_t)(unsafe.Pointer(&b[0]))
}

// Wipe overwrites b with zeros through zk_wipe (not removable by the compiler).
func Wipe(b []byte) {
	if len(b) == 0 {
		return
	}
	C.zk_wipe(unsafe.Pointer(&b[0]), C.size_t(len(b)))
	runtime.KeepAlive(b)
}

// CTEqual compares a and b in constant time (lengths are public: unequal
// lengths return false at once).
func CTEqual(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	r := C.zk_ct_equal(unsafe.Pointer(inPtr(a)), unsafe.Pointer(inPtr(b)), C.size_t(len(a)))
	runtime.KeepAlive(a)
	runtime.KeepAlive(b)
	return r == 1
}

// RandomBytes returns n bytes from the library's CSPRNG (OpenSSL DRBG).
func RandomBytes(n int) ([]byte, error) {
	out := make([]byte, n)
	if err := check("zk_random", C.zk_random(outPtr(out), C.size_t(n))); err != nil {
		return nil, err
	}
	return out, nil
}

// takeMalloced copies a library-allocated buffer into Go memory and frees it
// (wiping it first when secret is true).
func takeMalloced(p *C.uint8_t, n C.size_t, secret bool) []byte {
	if p == nil {
		return nil
	}
	out := C.GoBytes(unsafe.Pointer(p), C.int(n))
	if secret {
		C.zk_free_secret(unsafe.Pointer(p), n)
	} else {
		C.zk_free(unsafe.Pointer(p))
	}
	return out
}

// checkedMalloced maps st to an error (nil slice) or returns takeMalloced(p, n, secret).
func checkedMalloced(op string, st C.zk_status, p *C.uint8_t, n C.size_t, secret bool) ([]byte, error) {
	if err := check(op, st); err != nil {
		return nil, err
	}
	return takeMalloced(p, n, secret), nil
}

// cCopy copies b into C memory (for structures C keeps pointers in); release
// with cFree, which wipes the copy first.
func cCopy(b []byte) (*C.uint8_t, C.size_t) {
	if len(b) == 0 {
		return nil, 0
	}
	p := C.malloc(C.size_t(len(b)))
	if p == nil {
		panic("zerokey: out of memory")
	}
	C.memcpy(p, unsafe.Pointer(&b[0]), C.size_t(len(b)))
	return (*C.uint8_t)(p), C.size_t(len(b))
}

func cFree(p *C.uint8_t, n C.size_t) {
	if p != nil {
		C.zk_free_secret(unsafe.Pointer(p), n)
	}
}
