package zerokey

/*
#include <stdlib.h>
#include <zerokey/qos_proof.h>
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// QOSAppProofScheme is the only app proof signature scheme.
const QOSAppProofScheme = C.ZK_QOS_APP_PROOF_SCHEME

// QOSBootPolicy holds the pins and requirements of a boot verification. A new
// policy has no pins, requires no commitment, tolerates share-set approvals
// and refuses debug enclaves.
type QOSBootPolicy struct {
	p *C.zk_qos_boot_policy
}

// NewQOSBootPolicy creates a default policy.
func NewQOSBootPolicy() (*QOSBootPolicy, error) {
	var p *C.zk_qos_boot_policy
	if err := check("zk_qos_boot_policy_new", C.zk_qos_boot_policy_new(&p)); err != nil {
		return nil, err
	}
	pol := &QOSBootPolicy{p: p}
	runtime.SetFinalizer(pol, (*QOSBootPolicy).Close)
	return pol, nil
}

func (pol *QOSBootPolicy) ptr() *C.zk_qos_boot_policy {
	if pol == nil {
		return nil
	}
	return pol.p
}

// PinPCR pins the release value (48 bytes) of PCR index 0..3.
func (pol *QOSBootPolicy) PinPCR(index uint, value []byte) error {
	st := C.zk_qos_boot_policy_pin_pcr(pol.ptr(), C.uint(index), inPtr(value), inLen(value))
	runtime.KeepAlive(pol)
	runtime.KeepAlive(value)
	return check("zk_qos_boot_policy_pin_pcr", st)
}

// PinPivotHash pins the pivot binary hash (32 bytes).
func (pol *QOSBootPolicy) PinPivotHash(hash []byte) error {
	st := C.zk_qos_boot_policy_pin_pivot_hash(pol.ptr(), inPtr(hash), inLen(hash))
	runtime.KeepAlive(pol)
	runtime.KeepAlive(hash)
	return check("zk_qos_boot_policy_pin_pivot_hash", st)
}

// PinQuorumKey pins the namespace quorum key (130 bytes).
func (pol *QOSBootPolicy) PinQuorumKey(pub []byte) error {
	st := C.zk_qos_boot_policy_pin_quorum_key(pol.ptr(), inPtr(pub), inLen(pub))
	runtime.KeepAlive(pol)
	runtime.KeepAlive(pub)
	return check("zk_qos_boot_policy_pin_quorum_key", st)
}

// RequireCommitment requires the PCR16 (QOSCommitSetup) or PCR17
// (QOSCommitLive) manifest commitment; 0 removes the requirement.
func (pol *QOSBootPolicy) RequireCommitment(kind QOSCommitment) error {
	st := C.zk_qos_boot_policy_require_commitment(pol.ptr(), C.int(kind))
	runtime.KeepAlive(pol)
	return check("zk_qos_boot_policy_require_commitment", st)
}

// RequireNoShareApprovals refuses envelopes carrying share-set approvals.
func (pol *QOSBootPolicy) RequireNoShareApprovals(on bool) {
	C.zk_qos_boot_policy_require_no_share_approvals(pol.ptr(), cBool(on))
	runtime.KeepAlive(pol)
}

// AllowDebug accepts debug-mode enclaves (PCR0 all zero).
func (pol *QOSBootPolicy) AllowDebug(on bool) {
	C.zk_qos_boot_policy_allow_debug(pol.ptr(), cBool(on))
	runtime.KeepAlive(pol)
}

// Close frees the policy (idempotent).
func (pol *QOSBootPolicy) Close() {
	if pol != nil && pol.p != nil {
		C.zk_qos_boot_policy_free(pol.p)
		pol.p = nil
		runtime.SetFinalizer(pol, nil)
	}
}

func cBool(on bool) C.int {
	if on {
		return 1
	}
	return 0
}

// QOSBoot is a verified boot: the attested ephemeral key and the approved manifest.
type QOSBoot struct {
	p *C.zk_qos_boot
}

func adoptQOSBoot(p *C.zk_qos_boot) *QOSBoot {
	b := &QOSBoot{p: p}
	runtime.SetFinalizer(b, (*QOSBoot).Close)
	return b
}

func (b *QOSBoot) ptr() *C.zk_qos_boot {
	if b == nil {
		return nil
	}
	return b.p
}

func (b *QOSBoot) isOpen() bool { return b.p != nil }

func (v *AttVerifier) ptr() *C.zk_att_verifier {
	if v == nil {
		return nil
	}
	return v.p
}

// VerifyQOSBoot verifies a boot: the attestation document doc (at atUnix
// seconds, AttTimeNow = now) against v's pinned roots, bound to the manifest
// envelope env as qos_proof.h describes. policy nil means the defaults;
// manifest (a standalone copy that must have the envelope manifest's hash)
// and ephemeralKey (the expected 130-byte ephemeral key) may be nil.
func VerifyQOSBoot(v *AttVerifier, policy *QOSBootPolicy, doc []byte, env *QOSEnvelope,
	manifest *QOSManifest, ephemeralKey []byte, atUnix uint64) (*QOSBoot, error) {
	var eph *C.uint8_t
	if ephemeralKey != nil {
		eph = inPtr(ephemeralKey)
	}
	var m *C.zk_qos_manifest
	if manifest != nil {
		if m = manifest.ptr(); m == nil {
			return nil, &Error{Status: StatusArg, Op: "zk_qos_boot_verify", Offset: -1}
		}
	}
	var p *C.zk_qos_boot
	st := C.zk_qos_boot_verify(v.ptr(), policy.ptr(), &p, inPtr(doc), inLen(doc), env.ptr(), m, eph,
		inLen(ephemeralKey), C.uint64_t(atUnix))
	runtime.KeepAlive(v)
	runtime.KeepAlive(policy)
	runtime.KeepAlive(doc)
	runtime.KeepAlive(env)
	runtime.KeepAlive(manifest)
	runtime.KeepAlive(ephemeralKey)
	if err := check("zk_qos_boot_verify", st); err != nil {
		return nil, err
	}
	return adoptQOSBoot(p), nil
}

// VerifyQOSBootProofJSON verifies a Turnkey BootProof JSON (attestation,
// manifest and envelope inside). atUnix 0 verifies at the proof's createdAt time.
func VerifyQOSBootProofJSON(v *AttVerifier, policy *QOSBootPolicy, proof []byte, atUnix uint64) (*QOSBoot, error) {
	var p *C.zk_qos_boot
	st := C.zk_qos_boot_proof_verify_json(v.ptr(), policy.ptr(), &p, (*C.char)(unsafe.Pointer(inPtr(proof))),
		inLen(proof), C.uint64_t(atUnix))
	runtime.KeepAlive(v)
	runtime.KeepAlive(policy)
	runtime.KeepAlive(proof)
	if err := check("zk_qos_boot_proof_verify_json", st); err != nil {
		return nil, err
	}
	return adoptQOSBoot(p), nil
}

// EphemeralKey is the attested 130-byte ephemeral public key (nil when closed).
func (b *QOSBoot) EphemeralKey() []byte {
	var out []byte
	if p := C.zk_qos_boot_ephemeral_key(b.ptr()); p != nil {
		out = C.GoBytes(unsafe.Pointer(p), QOSPublicLen)
	}
	runtime.KeepAlive(b)
	return out
}

// Manifest is the approved manifest (borrowed, see QOSManifest).
func (b *QOSBoot) Manifest() *QOSManifest {
	m := borrowQOSManifest((*C.zk_qos_manifest)(unsafe.Pointer(C.zk_qos_boot_manifest(b.ptr()))), b)
	runtime.KeepAlive(b)
	return m
}

// TimestampMs is the attestation document's timestamp.
func (b *QOSBoot) TimestampMs() uint64 {
	t := uint64(C.zk_qos_boot_timestamp_ms(b.ptr()))
	runtime.KeepAlive(b)
	return t
}

// VerifyAppProof verifies an app proof signed by this boot's ephemeral key
// and returns its payload (the exact signed JSON text).
func (b *QOSBoot) VerifyAppProof(proof []byte) ([]byte, error) {
	var out *C.char
	var n C.size_t
	st := C.zk_qos_app_proof_verify(b.ptr(), &out, &n, (*C.char)(unsafe.Pointer(inPtr(proof))), inLen(proof))
	runtime.KeepAlive(b)
	runtime.KeepAlive(proof)
	return checkedMalloced("zk_qos_app_proof_verify", st, (*C.uint8_t)(unsafe.Pointer(out)), n, false)
}

// Close frees the boot (idempotent); manifests borrowed from it stop working.
func (b *QOSBoot) Close() {
	if b != nil && b.p != nil {
		C.zk_qos_boot_free(b.p)
		b.p = nil
		runtime.SetFinalizer(b, nil)
	}
}

// CreateQOSAppProof (enclave side) signs payload, a JSON object with string
// "type" and "timestampMs", with the ephemeral key set and returns the app
// proof JSON.
func CreateQOSAppProof(ephemeral *QOSKeySet, payload []byte) ([]byte, error) {
	var out *C.char
	var n C.size_t
	st := C.zk_qos_app_proof_create(ephemeral.ptr(), &out, &n, (*C.char)(unsafe.Pointer(inPtr(payload))),
		inLen(payload))
	runtime.KeepAlive(ephemeral)
	runtime.KeepAlive(payload)
	return checkedMalloced("zk_qos_app_proof_create", st, (*C.uint8_t)(unsafe.Pointer(out)), n, false)
}
