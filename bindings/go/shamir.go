package zerokey

/*
#include <stdlib.h>
#include <zerokey/shamir.h>
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// ShamirSplit splits secret into n shares (x || y), any k of which
// reconstruct it. Wipe the shares when done.
func ShamirSplit(secret []byte, n, k int) ([][]byte, error) {
	if n < 0 || k < 0 {
		return nil, &Error{Status: StatusShamirParams, Op: "zk_shamir_split", Offset: -1}
	}
	shareLen := len(secret) + 1
	flat := make([]byte, n*shareLen)
	st := C.zk_shamir_split(outPtr(flat), C.size_t(len(flat)), C.size_t(n), C.size_t(k),
		inPtr(secret), inLen(secret))
	runtime.KeepAlive(secret)
	if err := check("zk_shamir_split", st); err != nil {
		return nil, err
	}
	shares := make([][]byte, n)
	for i := range shares {
		shares[i] = flat[i*shareLen : (i+1)*shareLen : (i+1)*shareLen]
	}
	return shares, nil
}

// ShamirCombine reconstructs the secret from shares (all are used).
func ShamirCombine(shares [][]byte) ([]byte, error) {
	count := len(shares)
	if count == 0 {
		return nil, &Error{Status: StatusArg, Op: "zk_shamir_combine_var", Offset: -1}
	}
	// The pointer array must live in C memory, and so must what it points to.
	ptrMem := C.calloc(C.size_t(count), C.size_t(unsafe.Sizeof(uintptr(0))))
	lenMem := C.calloc(C.size_t(count), C.size_t(unsafe.Sizeof(C.size_t(0))))
	if ptrMem == nil || lenMem == nil {
		panic("zerokey: out of memory")
	}
	ptrs := unsafe.Slice((**C.uint8_t)(ptrMem), count)
	lens := unsafe.Slice((*C.size_t)(lenMem), count)
	maxLen := 1
	for i, s := range shares {
		ptrs[i], lens[i] = cCopy(s)
		if ptrs[i] == nil {
			ptrs[i] = inPtr(nil)
		}
		if len(s) > maxLen {
			maxLen = len(s)
		}
	}
	defer func() {
		for i := range shares {
			if lens[i] > 0 {
				cFree(ptrs[i], lens[i])
			}
		}
		C.free(ptrMem)
		C.free(lenMem)
	}()
	secret := make([]byte, maxLen)
	var written C.size_t
	st := C.zk_shamir_combine_var(outPtr(secret), C.size_t(len(secret)), &written,
		(**C.uint8_t)(unsafe.Pointer(&ptrs[0])), &lens[0], C.size_t(count))
	if err := check("zk_shamir_combine_var", st); err != nil {
		return nil, err
	}
	Wipe(secret[written:])
	return secret[:written:written], nil
}
