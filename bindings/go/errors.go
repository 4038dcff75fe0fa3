package zerokey

/*
#include <zerokey/common.h>
*/
import "C"

import "fmt"

// Status is a libzerokey status code (zk_status). It implements error so that
// errors.Is(err, StatusSignature) and errors.As(err, &status) work on the
// *Error values this package returns.
type Status int

// Name is the C name of the status ("ZK_ERR_SIGNATURE"), from zk_status_name.
func (s Status) Name() string { return C.GoString(C.zk_status_name(C.zk_status(s))) }

// Message is the library's message for the status, from zk_status_str.
func (s Status) Message() string { return C.GoString(C.zk_status_str(C.zk_status(s))) }

func (s Status) String() string { return s.Name() }

// Error implements error.
func (s Status) Error() string { return s.Name() + ": " + s.Message() }

// Is lets errors.Is match a Status against a family sentinel (ErrCrypto, ...).
func (s Status) Is(target error) bool {
	f, ok := target.(*Family)
	return ok && f.Contains(s)
}

// Family is a range of statuses (include/zerokey/common.h). The package-level
// Err* values are the sentinels to use with errors.Is.
type Family struct {
	Name   string
	Lo, Hi Status
}

func (f *Family) Error() string { return "zerokey: " + f.Name + " error" }

// Contains reports whether s lies in the family's range.
func (f *Family) Contains(s Status) bool { return s >= f.Lo && s <= f.Hi }

// Family sentinels, one per status range of include/zerokey/common.h.
var (
	ErrArgument      = &Family{"argument/resource", 1, 99}
	ErrParse         = &Family{"parse/encoding", 100, 199}
	ErrCrypto        = &Family{"crypto/signature", 200, 299}
	ErrCOSE          = &Family{"COSE", 300, 349}
	ErrAttestation   = &Family{"attestation", 350, 449}
	ErrBackend       = &Family{"backend/NSM", 450, 499}
	ErrEvidence      = &Family{"evidence", 500, 649}
	ErrSecureChannel = &Family{"secure channel", 650, 749}
	ErrQOS           = &Family{"QOS", 750, 899}
)

// Families lists the sentinels in range order.
var Families = []*Family{ErrArgument, ErrParse, ErrCrypto, ErrCOSE, ErrAttestation, ErrBackend,
	ErrEvidence, ErrSecureChannel, ErrQOS}

// FamilyOf returns the family of s, or nil for ZK_OK and unknown ranges.
func FamilyOf(s Status) *Family {
	for _, f := range Families {
		if f.Contains(s) {
			return f
		}
	}
	return nil
}

// Error is returned by every failing call.
type Error struct {
	Status Status // the C status
	Op     string // the C function that failed
	Offset int    // byte offset of a parse failure, or -1 when not reported
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%s: %s: %s", e.Op, e.Status.Name(), e.Status.Message())
	if e.Offset >= 0 {
		msg += fmt.Sprintf(" (at byte offset %d)", e.Offset)
	}
	return msg
}

// Unwrap returns the Status, so errors.Is works with statuses and families.
func (e *Error) Unwrap() error { return e.Status }

// Family returns the status family of the error (nil if outside every range).
func (e *Error) Family() *Family { return FamilyOf(e.Status) }

func check(op string, st C.zk_status) error {
	if st == C.ZK_OK {
		return nil
	}
	return &Error{Status: Status(st), Op: op, Offset: -1}
}

func checkOff(op string, st C.zk_status, off C.size_t) error {
	if st == C.ZK_OK {
		return nil
	}
	return &Error{Status: Status(st), Op: op, Offset: int(off)}
}
