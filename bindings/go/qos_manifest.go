package zerokey

/*
#include <stdlib.h>
#include <zerokey/qos_manifest.h>
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// QOS manifest sizes.
const (
	QOSManifestHashLen = C.ZK_QOS_MANIFEST_HASH_LEN
	QOSPCRLen          = C.ZK_QOS_PCR_LEN
)

// QOSManifestVersion selects the borsh layout of a manifest.
type QOSManifestVersion int

const (
	// QOSManifestAuto detects the version (refused when both or neither decode).
	QOSManifestAuto QOSManifestVersion = C.ZK_QOS_MANIFEST_AUTO
	QOSManifestV0   QOSManifestVersion = C.ZK_QOS_MANIFEST_V0
	QOSManifestV1   QOSManifestVersion = C.ZK_QOS_MANIFEST_V1
)

// QOSSetKind names one of a manifest's member sets.
type QOSSetKind int

const (
	QOSSetManifest QOSSetKind = C.ZK_QOS_SET_MANIFEST
	QOSSetShare    QOSSetKind = C.ZK_QOS_SET_SHARE
	QOSSetPatch    QOSSetKind = C.ZK_QOS_SET_PATCH
)

// QOSCommitment is the PCR a manifest commitment is extended into.
type QOSCommitment int

const (
	QOSCommitSetup QOSCommitment = C.ZK_QOS_COMMIT_SETUP // PCR16
	QOSCommitLive  QOSCommitment = C.ZK_QOS_COMMIT_LIVE  // PCR17
)

// Flags of QOSEnvelope.VerifyApprovals.
const (
	// QOSEnvNoShareApprovals refuses envelopes carrying share-set approvals (boot, key forward).
	QOSEnvNoShareApprovals uint = C.ZK_QOS_ENV_NO_SHARE_APPROVALS
	// QOSEnvShareApprovals also checks the share-set approvals against the share-set threshold.
	QOSEnvShareApprovals uint = C.ZK_QOS_ENV_SHARE_APPROVALS
)

// openChecker is implemented by the objects that lend out a *QOSManifest.
type openChecker interface{ isOpen() bool }

// QOSManifest is a parsed QuorumOS manifest (V0 or V1). Parsing checks the
// syntax only; approvals are checked by VerifyApprovals.
//
// A manifest returned by QOSEnvelope.Manifest or QOSBoot.Manifest is borrowed:
// it keeps its owner reachable, its Close does nothing, and once the owner is
// closed its accessors return zero values and its methods fail with StatusArg.
type QOSManifest struct {
	p     *C.zk_qos_manifest
	owner openChecker // nil for owned manifests
}

func adoptQOSManifest(p *C.zk_qos_manifest) *QOSManifest {
	m := &QOSManifest{p: p}
	runtime.SetFinalizer(m, (*QOSManifest).Close)
	return m
}

func borrowQOSManifest(p *C.zk_qos_manifest, owner openChecker) *QOSManifest {
	if p == nil {
		return nil
	}
	return &QOSManifest{p: p, owner: owner}
}

func (m *QOSManifest) ptr() *C.zk_qos_manifest {
	if m == nil || (m.owner != nil && !m.owner.isOpen()) {
		return nil
	}
	return m.p
}

// ParseQOSManifestJSON parses a camelCase JSON manifest (always read as V1; a
// V0 JSON manifest is upgraded as QOS does; V2 is refused).
func ParseQOSManifestJSON(data []byte) (*QOSManifest, error) {
	var p *C.zk_qos_manifest
	st := C.zk_qos_manifest_parse_json(&p, (*C.char)(unsafe.Pointer(inPtr(data))), inLen(data))
	runtime.KeepAlive(data)
	if err := check("zk_qos_manifest_parse_json", st); err != nil {
		return nil, err
	}
	return adoptQOSManifest(p), nil
}

// ParseQOSManifestBorsh parses a borsh manifest of version ver (QOSManifestAuto detects it).
func ParseQOSManifestBorsh(data []byte, ver QOSManifestVersion) (*QOSManifest, error) {
	var p *C.zk_qos_manifest
	st := C.zk_qos_manifest_parse_borsh(&p, inPtr(data), inLen(data), C.zk_qos_manifest_version(ver))
	runtime.KeepAlive(data)
	if err := check("zk_qos_manifest_parse_borsh", st); err != nil {
		return nil, err
	}
	return adoptQOSManifest(p), nil
}

// Borsh returns the borsh encoding in the manifest's version.
func (m *QOSManifest) Borsh() ([]byte, error) {
	var out *C.uint8_t
	var n C.size_t
	st := C.zk_qos_manifest_serialize_borsh(m.ptr(), &out, &n)
	runtime.KeepAlive(m)
	return checkedMalloced("zk_qos_manifest_serialize_borsh", st, out, n, false)
}

// Hash is SHA-256 of the borsh encoding (what approvals sign); nil when closed.
func (m *QOSManifest) Hash() []byte {
	p := C.zk_qos_manifest_hash(m.ptr())
	var out []byte
	if p != nil {
		out = C.GoBytes(unsafe.Pointer(p), QOSManifestHashLen)
	}
	runtime.KeepAlive(m)
	return out
}

// Version is 0 or 1 (-1 when closed).
func (m *QOSManifest) Version() int {
	v := int(C.zk_qos_manifest_version_of(m.ptr()))
	runtime.KeepAlive(m)
	return v
}

// Namespace is the namespace name.
func (m *QOSManifest) Namespace() string {
	var s string
	if p := C.zk_qos_manifest_namespace(m.ptr()); p != nil {
		s = C.GoString(p)
	}
	runtime.KeepAlive(m)
	return s
}

// Nonce is the namespace nonce.
func (m *QOSManifest) Nonce() uint32 {
	v := uint32(C.zk_qos_manifest_nonce(m.ptr()))
	runtime.KeepAlive(m)
	return v
}

// QuorumKey is the namespace quorum public key (130 bytes in practice).
func (m *QOSManifest) QuorumKey() []byte {
	var n C.size_t
	out := goBytes(C.zk_qos_manifest_quorum_key(m.ptr(), &n), n)
	runtime.KeepAlive(m)
	return out
}

// PivotHash is the 32-byte hash of the pivot binary.
func (m *QOSManifest) PivotHash() []byte {
	var out []byte
	if p := C.zk_qos_manifest_pivot_hash(m.ptr()); p != nil {
		out = C.GoBytes(unsafe.Pointer(p), 32)
	}
	runtime.KeepAlive(m)
	return out
}

// PCR returns enclave.pcrN for index 0..3 (nil for other indices).
func (m *QOSManifest) PCR(index uint) []byte {
	var n C.size_t
	out := goBytes(C.zk_qos_manifest_pcr(m.ptr(), C.uint(index), &n), n)
	runtime.KeepAlive(m)
	return out
}

// Threshold of a set (0 for an unknown kind).
func (m *QOSManifest) Threshold(set QOSSetKind) uint32 {
	v := uint32(C.zk_qos_manifest_threshold(m.ptr(), C.zk_qos_set_kind(set)))
	runtime.KeepAlive(m)
	return v
}

// QOSMember is one member of a set (Alias is "" in the patch set).
type QOSMember struct {
	Alias     string
	PublicKey []byte
}

// Members lists the members of a set.
func (m *QOSManifest) Members(set QOSSetKind) ([]QOSMember, error) {
	defer runtime.KeepAlive(m)
	p := m.ptr()
	count := int(C.zk_qos_manifest_member_count(p, C.zk_qos_set_kind(set)))
	out := make([]QOSMember, 0, count)
	for i := 0; i < count; i++ {
		var alias *C.char
		var pub *C.uint8_t
		var n C.size_t
		st := C.zk_qos_manifest_member(p, C.zk_qos_set_kind(set), C.size_t(i), &alias, &pub, &n)
		if err := check("zk_qos_manifest_member", st); err != nil {
			return nil, err
		}
		mem := QOSMember{PublicKey: goBytes(pub, n)}
		if alias != nil {
			mem.Alias = C.GoString(alias)
		}
		out = append(out, mem)
	}
	return out, nil
}

// approvalArray copies the approval handles into C memory owned by a.
func approvalArray(a *arena, approvals []*QOSApproval) **C.zk_qos_approval {
	if len(approvals) == 0 {
		return nil
	}
	arr := unsafe.Slice((**C.zk_qos_approval)(a.alloc(len(approvals)*int(unsafe.Sizeof(uintptr(0))))),
		len(approvals))
	for i, ap := range approvals {
		arr[i] = ap.ptr()
	}
	return &arr[0]
}

// VerifyApprovals checks approvals against one set: the set is well formed,
// every approver is a distinct member, every signature verifies over the hash
// and at least threshold approvals remain.
func (m *QOSManifest) VerifyApprovals(set QOSSetKind, approvals []*QOSApproval) error {
	var a arena
	defer a.free()
	arr := approvalArray(&a, approvals)
	st := C.zk_qos_manifest_verify_approvals(m.ptr(), C.zk_qos_set_kind(set), arr, C.size_t(len(approvals)))
	runtime.KeepAlive(m)
	runtime.KeepAlive(approvals)
	return check("zk_qos_manifest_verify_approvals", st)
}

// Close frees an owned manifest (idempotent); for a borrowed one it only
// drops the reference.
func (m *QOSManifest) Close() {
	if m == nil || m.p == nil {
		return
	}
	if m.owner == nil {
		C.zk_qos_manifest_free(m.p)
		runtime.SetFinalizer(m, nil)
	}
	m.p, m.owner = nil, nil
}

// QOSApproval is a member's signature over a manifest hash.
type QOSApproval struct {
	p *C.zk_qos_approval
}

func adoptQOSApproval(p *C.zk_qos_approval) *QOSApproval {
	a := &QOSApproval{p: p}
	runtime.SetFinalizer(a, (*QOSApproval).Close)
	return a
}

func (ap *QOSApproval) ptr() *C.zk_qos_approval {
	if ap == nil {
		return nil
	}
	return ap.p
}

func (ks *QOSKeySet) ptr() *C.zk_qos_keyset {
	if ks == nil {
		return nil
	}
	return ks.p
}

// SignQOSApproval approves m: signs its hash with ks under alias.
func SignQOSApproval(ks *QOSKeySet, alias string, m *QOSManifest) (*QOSApproval, error) {
	var a arena
	defer a.free()
	var p *C.zk_qos_approval
	st := C.zk_qos_approval_sign(&p, ks.ptr(), a.str(alias), m.ptr())
	runtime.KeepAlive(ks)
	runtime.KeepAlive(m)
	if err := check("zk_qos_approval_sign", st); err != nil {
		return nil, err
	}
	return adoptQOSApproval(p), nil
}

// NewQOSApproval builds an approval from a raw r || s signature, the
// member's alias ("" in the patch set) and its 130-byte public key.
func NewQOSApproval(sig []byte, alias string, pub []byte) (*QOSApproval, error) {
	var a arena
	defer a.free()
	var p *C.zk_qos_approval
	st := C.zk_qos_approval_new(&p, inPtr(sig), inLen(sig), a.str(alias), inPtr(pub), inLen(pub))
	runtime.KeepAlive(sig)
	runtime.KeepAlive(pub)
	if err := check("zk_qos_approval_new", st); err != nil {
		return nil, err
	}
	return adoptQOSApproval(p), nil
}

// Close frees the approval (idempotent).
func (ap *QOSApproval) Close() {
	if ap != nil && ap.p != nil {
		C.zk_qos_approval_free(ap.p)
		ap.p = nil
		runtime.SetFinalizer(ap, nil)
	}
}

// QOSEnvelope is a manifest with its manifest-set and share-set approvals.
// Parsing never checks approvals: call VerifyApprovals.
type QOSEnvelope struct {
	p *C.zk_qos_envelope
}

func adoptQOSEnvelope(p *C.zk_qos_envelope) *QOSEnvelope {
	e := &QOSEnvelope{p: p}
	runtime.SetFinalizer(e, (*QOSEnvelope).Close)
	return e
}

func (e *QOSEnvelope) ptr() *C.zk_qos_envelope {
	if e == nil {
		return nil
	}
	return e.p
}

func (e *QOSEnvelope) isOpen() bool { return e.p != nil }

// ParseQOSEnvelopeJSON parses {manifest, manifestSetApprovals, shareSetApprovals}.
func ParseQOSEnvelopeJSON(data []byte) (*QOSEnvelope, error) {
	var p *C.zk_qos_envelope
	st := C.zk_qos_envelope_parse_json(&p, (*C.char)(unsafe.Pointer(inPtr(data))), inLen(data))
	runtime.KeepAlive(data)
	if err := check("zk_qos_envelope_parse_json", st); err != nil {
		return nil, err
	}
	return adoptQOSEnvelope(p), nil
}

// ParseQOSEnvelopeBorsh parses a borsh ManifestEnvelope.
func ParseQOSEnvelopeBorsh(data []byte, ver QOSManifestVersion) (*QOSEnvelope, error) {
	var p *C.zk_qos_envelope
	st := C.zk_qos_envelope_parse_borsh(&p, inPtr(data), inLen(data), C.zk_qos_manifest_version(ver))
	runtime.KeepAlive(data)
	if err := check("zk_qos_envelope_parse_borsh", st); err != nil {
		return nil, err
	}
	return adoptQOSEnvelope(p), nil
}

// NewQOSEnvelope wraps a copy of m with no approvals.
func NewQOSEnvelope(m *QOSManifest) (*QOSEnvelope, error) {
	var p *C.zk_qos_envelope
	st := C.zk_qos_envelope_new(&p, m.ptr())
	runtime.KeepAlive(m)
	if err := check("zk_qos_envelope_new", st); err != nil {
		return nil, err
	}
	return adoptQOSEnvelope(p), nil
}

// AddApproval appends a copy of ap to the manifest-set or share-set list.
func (e *QOSEnvelope) AddApproval(set QOSSetKind, ap *QOSApproval) error {
	st := C.zk_qos_envelope_add_approval(e.ptr(), C.zk_qos_set_kind(set), ap.ptr())
	runtime.KeepAlive(e)
	runtime.KeepAlive(ap)
	return check("zk_qos_envelope_add_approval", st)
}

// Borsh returns the borsh encoding of the envelope.
func (e *QOSEnvelope) Borsh() ([]byte, error) {
	var out *C.uint8_t
	var n C.size_t
	st := C.zk_qos_envelope_serialize_borsh(e.ptr(), &out, &n)
	runtime.KeepAlive(e)
	return checkedMalloced("zk_qos_envelope_serialize_borsh", st, out, n, false)
}

// Manifest returns the manifest inside (borrowed, see QOSManifest).
func (e *QOSEnvelope) Manifest() *QOSManifest {
	m := borrowQOSManifest((*C.zk_qos_manifest)(unsafe.Pointer(C.zk_qos_envelope_manifest(e.ptr()))), e)
	runtime.KeepAlive(e)
	return m
}

// ApprovalCount is the number of approvals in the manifest-set or share-set list.
func (e *QOSEnvelope) ApprovalCount(set QOSSetKind) int {
	n := int(C.zk_qos_envelope_approval_count(e.ptr(), C.zk_qos_set_kind(set)))
	runtime.KeepAlive(e)
	return n
}

// VerifyApprovals is QOS check_approvals: the manifest-set approvals meet the
// manifest-set threshold, plus the QOSEnv* flags.
func (e *QOSEnvelope) VerifyApprovals(flags uint) error {
	st := C.zk_qos_envelope_verify_approvals(e.ptr(), C.uint(flags))
	runtime.KeepAlive(e)
	return check("zk_qos_envelope_verify_approvals", st)
}

// Close frees the envelope (idempotent); manifests borrowed from it stop working.
func (e *QOSEnvelope) Close() {
	if e != nil && e.p != nil {
		C.zk_qos_envelope_free(e.p)
		e.p = nil
		runtime.SetFinalizer(e, nil)
	}
}

// QOSCanonicalJSON returns the QOS canonical JSON of a JSON text (keys sorted
// by UTF-16 code units, no whitespace, nulls dropped, integers as strings).
func QOSCanonicalJSON(data []byte) ([]byte, error) {
	var out *C.char
	var n C.size_t
	st := C.zk_qos_canonical_json(&out, &n, (*C.char)(unsafe.Pointer(inPtr(data))), inLen(data))
	runtime.KeepAlive(data)
	return checkedMalloced("zk_qos_canonical_json", st, (*C.uint8_t)(unsafe.Pointer(out)), n, false)
}

// QOSPCRCommitment returns the PCR16 (setup) or PCR17 (live) value QOS
// reaches by extending the PCR once from zero, and the 48-byte commitment it
// extends with (SHA-384 of the canonical preimage).
func QOSPCRCommitment(kind QOSCommitment, manifestHash, ephemeralPub []byte) (pcr, commitment []byte, err error) {
	pcr = make([]byte, QOSPCRLen)
	commitment = make([]byte, QOSPCRLen)
	st := C.zk_qos_pcr_commitment(outPtr(pcr), outPtr(commitment), C.zk_qos_commitment_kind(kind),
		inPtr(manifestHash), inLen(manifestHash), inPtr(ephemeralPub), inLen(ephemeralPub))
	runtime.KeepAlive(manifestHash)
	runtime.KeepAlive(ephemeralPub)
	if err := check("zk_qos_pcr_commitment", st); err != nil {
		return nil, nil, err
	}
	return pcr, commitment, nil
}

// QOSPCR3FromARN returns PCR3 of an instance role: SHA-384(0^48 || arn).
func QOSPCR3FromARN(arn string) ([]byte, error) {
	b := []byte(arn)
	pcr := make([]byte, QOSPCRLen)
	st := C.zk_qos_pcr3_from_arn(outPtr(pcr), (*C.char)(unsafe.Pointer(inPtr(b))), inLen(b))
	runtime.KeepAlive(b)
	if err := check("zk_qos_pcr3_from_arn", st); err != nil {
		return nil, err
	}
	return pcr, nil
}
