package zerokey

/*
#include <stdlib.h>
#include <zerokey/backend.h>
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// NSM protocol limits.
const (
	NSMMaxPCRs     = C.ZK_NSM_MAX_PCRS
	NSMPCRMaxLen   = C.ZK_NSM_PCR_MAX_LEN
	NSMModuleIDMax = C.ZK_NSM_MODULE_ID_MAX
	// NSMAttestFieldMax is the mock's limit on user_data, nonce and public_key.
	NSMAttestFieldMax = C.ZK_NSM_ATTEST_FIELD_MAX
)

// Mock document variants (BackendOptions.MockFlags).
const (
	// MockIndefinitePayload encodes the payload map with indefinite length, as real documents since ~2025-08.
	MockIndefinitePayload uint = C.ZK_MOCK_INDEFINITE_PAYLOAD
	// MockTagged wraps the COSE_Sign1 in tag 18 (real documents are untagged).
	MockTagged uint = C.ZK_MOCK_TAGGED
	// Mock16PCRs reports PCRs 0-15 only, as documents up to 2025.
	Mock16PCRs uint = C.ZK_MOCK_16_PCRS
)

// NSMDigest is the PCR hash of a module.
type NSMDigest int

const (
	NSMDigestSHA256 NSMDigest = C.ZK_NSM_DIGEST_SHA256
	NSMDigestSHA384 NSMDigest = C.ZK_NSM_DIGEST_SHA384
	NSMDigestSHA512 NSMDigest = C.ZK_NSM_DIGEST_SHA512
)

// BackendOptions configure OpenBackend; the zero value gives the defaults.
// The custom transport of the nitro backend and custom ops tables (C
// callbacks) are not exposed.
type BackendOptions struct {
	// nitro
	NSMDevice string // "" = /dev/nsm

	// mock
	MockTimeMs   uint64 // initial clock (ms since the epoch); 0 = current time
	MockFlags    uint   // Mock* variants
	MockModuleID string // "" = the library default
	// MockBootPCRs are PCRs 0-15 (16 x 48 bytes); nil = all zero (a debug-mode enclave).
	MockBootPCRs []byte
	// Mock PKI from DER: all four set, or none (a fresh P-384 chain is generated).
	// MockLeafSecret is the leaf's raw 48-byte P-384 secret (its C copy is wiped).
	MockRootDER, MockIntermediateDER, MockLeafDER, MockLeafSecret []byte
}

// NSMDescription is the result of Backend.Describe (DescribeNSM).
type NSMDescription struct {
	VersionMajor, VersionMinor, VersionPatch uint16
	ModuleID                                 string
	MaxPCRs                                  uint16
	LockedPCRs                               []uint16
	Digest                                   NSMDigest
}

// Backend is an open trust backend: "nitro" (the Nitro Secure Module through
// /dev/nsm) or "mock" (the same contract in software, with attestation
// documents in the Nitro format signed by a mock CA; pin MockRootDER in an
// AttVerifier). The C backend serialises concurrent requests; Close must not
// race with use.
type Backend struct {
	p *C.zk_backend
}

func (b *Backend) ptr() *C.zk_backend {
	if b == nil {
		return nil
	}
	return b.p
}

// OpenBackend opens "nitro" or "mock" (o nil = defaults).
func OpenBackend(name string, o *BackendOptions) (*Backend, error) {
	var a arena
	defer a.free()
	var co *C.zk_backend_options
	if o != nil {
		co = (*C.zk_backend_options)(a.alloc(int(unsafe.Sizeof(C.zk_backend_options{}))))
		co.nsm_device = a.strOpt(o.NSMDevice)
		co.mock_time_ms = C.uint64_t(o.MockTimeMs)
		co.mock_flags = C.uint(o.MockFlags)
		co.mock_module_id = a.strOpt(o.MockModuleID)
		co.mock_boot_pcrs, co.mock_boot_pcrs_len = a.bytes(o.MockBootPCRs), C.size_t(len(o.MockBootPCRs))
		co.mock_root_der, co.mock_root_der_len = a.bytes(o.MockRootDER), C.size_t(len(o.MockRootDER))
		co.mock_intermediate_der = a.bytes(o.MockIntermediateDER)
		co.mock_intermediate_der_len = C.size_t(len(o.MockIntermediateDER))
		co.mock_leaf_der, co.mock_leaf_der_len = a.bytes(o.MockLeafDER), C.size_t(len(o.MockLeafDER))
		co.mock_leaf_secret = a.bytes(o.MockLeafSecret) // wiped by a.free
		co.mock_leaf_secret_len = C.size_t(len(o.MockLeafSecret))
	}
	var p *C.zk_backend
	if err := check("zk_backend_open", C.zk_backend_open(&p, a.str(name), co)); err != nil {
		return nil, err
	}
	b := &Backend{p: p}
	runtime.SetFinalizer(b, (*Backend).Close)
	return b, nil
}

// Name is "nitro" or "mock" ("" when closed).
func (b *Backend) Name() string {
	s := C.GoString(C.zk_backend_name(b.ptr()))
	runtime.KeepAlive(b)
	return s
}

// Random returns n random bytes from the backend (NSM GetRandom; mock: the
// OpenSSL DRBG). Treat them as a secret: Wipe when done.
func (b *Backend) Random(n int) ([]byte, error) {
	if n < 0 {
		return nil, &Error{Status: StatusArg, Op: "zk_backend_random", Offset: -1}
	}
	out := make([]byte, n)
	st := C.zk_backend_random(b.ptr(), outPtr(out), C.size_t(n))
	runtime.KeepAlive(b)
	if err := check("zk_backend_random", st); err != nil {
		return nil, err
	}
	return out, nil
}

// optPtr is inPtr for a present field and NULL for a nil slice (absent).
func optPtr(v []byte) *C.uint8_t {
	if v == nil {
		return nil
	}
	return inPtr(v)
}

// Attest requests an attestation document (COSE_Sign1, Nitro format). A nil
// field is absent (CBOR null); a non-nil empty slice is an empty byte string.
func (b *Backend) Attest(userData, nonce, publicKey []byte) ([]byte, error) {
	var doc *C.uint8_t
	var n C.size_t
	st := C.zk_backend_attest(b.ptr(), &doc, &n, optPtr(userData), inLen(userData), optPtr(nonce), inLen(nonce),
		optPtr(publicKey), inLen(publicKey))
	runtime.KeepAlive(b)
	runtime.KeepAlive(userData)
	runtime.KeepAlive(nonce)
	runtime.KeepAlive(publicKey)
	return checkedMalloced("zk_backend_attest", st, doc, n, false)
}

// DescribePCR reads a PCR and whether it is locked.
func (b *Backend) DescribePCR(index uint16) (value []byte, locked bool, err error) {
	buf := make([]byte, NSMPCRMaxLen)
	n := C.size_t(len(buf))
	var l C.int
	st := C.zk_backend_describe_pcr(b.ptr(), &l, outPtr(buf), &n, C.uint16_t(index))
	runtime.KeepAlive(b)
	if err := check("zk_backend_describe_pcr", st); err != nil {
		return nil, false, err
	}
	return buf[:n], l == 1, nil
}

// ExtendPCR extends a PCR (new = H(old || data)) and returns the new value.
func (b *Backend) ExtendPCR(index uint16, data []byte) ([]byte, error) {
	buf := make([]byte, NSMPCRMaxLen)
	n := C.size_t(len(buf))
	st := C.zk_backend_extend_pcr(b.ptr(), outPtr(buf), &n, C.uint16_t(index), inPtr(data), inLen(data))
	runtime.KeepAlive(b)
	runtime.KeepAlive(data)
	if err := check("zk_backend_extend_pcr", st); err != nil {
		return nil, err
	}
	return buf[:n], nil
}

// LockPCR locks one PCR (later extends fail with StatusNSMReadOnlyIndex).
func (b *Backend) LockPCR(index uint16) error {
	st := C.zk_backend_lock_pcr(b.ptr(), C.uint16_t(index))
	runtime.KeepAlive(b)
	return check("zk_backend_lock_pcr", st)
}

// LockPCRs locks PCRs [0, n).
func (b *Backend) LockPCRs(n uint16) error {
	st := C.zk_backend_lock_pcrs(b.ptr(), C.uint16_t(n))
	runtime.KeepAlive(b)
	return check("zk_backend_lock_pcrs", st)
}

// Describe returns the module description (version, module_id, PCRs, digest).
func (b *Backend) Describe() (*NSMDescription, error) {
	var a arena
	defer a.free()
	cd := (*C.zk_nsm_description)(a.alloc(int(unsafe.Sizeof(C.zk_nsm_description{}))))
	st := C.zk_backend_describe(b.ptr(), cd)
	runtime.KeepAlive(b)
	if err := check("zk_backend_describe", st); err != nil {
		return nil, err
	}
	d := &NSMDescription{VersionMajor: uint16(cd.version_major), VersionMinor: uint16(cd.version_minor),
		VersionPatch: uint16(cd.version_patch), ModuleID: C.GoString(&cd.module_id[0]),
		MaxPCRs: uint16(cd.max_pcrs), Digest: NSMDigest(cd.digest), LockedPCRs: []uint16{}}
	for i := 0; i < int(cd.n_locked_pcrs) && i < len(cd.locked_pcrs); i++ {
		d.LockedPCRs = append(d.LockedPCRs, uint16(cd.locked_pcrs[i]))
	}
	return d, nil
}

// TimeMs is the backend's current time in ms since the epoch (mock: its clock).
func (b *Backend) TimeMs() (uint64, error) {
	var t C.uint64_t
	st := C.zk_backend_time_ms(b.ptr(), &t)
	runtime.KeepAlive(b)
	if err := check("zk_backend_time_ms", st); err != nil {
		return 0, err
	}
	return uint64(t), nil
}

// MockSetTime sets the mock clock (StatusBackend for other backends).
func (b *Backend) MockSetTime(nowMs uint64) error {
	st := C.zk_backend_mock_set_time(b.ptr(), C.uint64_t(nowMs))
	runtime.KeepAlive(b)
	return check("zk_backend_mock_set_time", st)
}

// MockRootDER is the mock root CA certificate to pin in an AttVerifier
// (StatusBackend for other backends).
func (b *Backend) MockRootDER() ([]byte, error) {
	var p *C.uint8_t
	var n C.size_t
	st := C.zk_backend_mock_root_der(b.ptr(), &p, &n)
	if err := check("zk_backend_mock_root_der", st); err != nil {
		return nil, err
	}
	out := goBytes(p, n)
	runtime.KeepAlive(b)
	return out, nil
}

// Close closes the device / destroys the mock, wiping its keys (idempotent).
func (b *Backend) Close() {
	if b != nil && b.p != nil {
		C.zk_backend_free(b.p)
		b.p = nil
		runtime.SetFinalizer(b, nil)
	}
}
