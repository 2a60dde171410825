package tenantiso

/*
#include <stdlib.h>
#include <tenantiso.h>
*/
import "C"

import (
	"strings"
	"sync"
	"unsafe"
)

// TenantID is a parsed tenant ID: 16 bytes in the order of the hex digits.
// Parse a string once (ParseTenantID) and reuse it: requests take parsed IDs.
type TenantID [16]byte

// ParseTenantID parses 8-4-4-4-12 hex digits; not the nil GUID.
func ParseTenantID(s string) (TenantID, error) {
	var id TenantID
	var err C.tiso_error
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	if st := C.tiso_tenant_id_parse_ex((*C.tiso_tenant_id)(unsafe.Pointer(&id)), cs, C.size_t(len(s)), &err); st != C.TISO_OK {
		return id, detailedError(st, &err)
	}
	return id, nil
}

// IsNil is true for the all-zero ID, which stands for "none".
func (id TenantID) IsNil() bool { return id == TenantID{} }

// String is the canonical lowercase form, or "" for the nil ID.
func (id TenantID) String() string {
	if id.IsNil() {
		return ""
	}
	var buf [C.TISO_TENANT_ID_LEN + 1]C.char
	C.tiso_tenant_id_format(&buf[0], (*C.tiso_tenant_id)(unsafe.Pointer(&id)))
	return C.GoString(&buf[0])
}

// Direction is seen from the home tenant; Auto only as input.
type Direction int

const (
	DirectionNone     Direction = C.TISO_DIRECTION_NONE
	DirectionInbound  Direction = C.TISO_DIRECTION_INBOUND
	DirectionOutbound Direction = C.TISO_DIRECTION_OUTBOUND
	DirectionAuto     Direction = C.TISO_DIRECTION_AUTO
)

func (d Direction) String() string { return C.GoString(C.tiso_direction_name(C.tiso_direction(d))) }

// ParseDirection reads "auto", "inbound" or "outbound" (any case).
func ParseDirection(s string) (Direction, error) {
	switch strings.ToLower(s) {
	case "auto":
		return DirectionAuto, nil
	case "inbound":
		return DirectionInbound, nil
	case "outbound":
		return DirectionOutbound, nil
	}
	return DirectionNone, misuse("direction must be auto, inbound or outbound, not %q", s)
}

// AuthKind says how a connector authenticates; AuthUnknown asks the
// library's list of known connectors.
type AuthKind int

const (
	AuthUnknown  AuthKind = C.TISO_AUTH_UNKNOWN
	AuthEntra    AuthKind = C.TISO_AUTH_ENTRA
	AuthNonEntra AuthKind = C.TISO_AUTH_NON_ENTRA
)

// Request is one connection to decide. The zero Direction is invalid: use
// DirectionAuto unless the caller knows better.
type Request struct {
	Creator, Target TenantID
	Direction       Direction
	Connector       string // e.g. "shared_office365"; "" for none
	Auth            AuthKind
}

// Decision is a verdict and why. Err is set, and Allowed false, for a
// request of a batch that could not be decided.
type Decision struct {
	Allowed        bool
	Reason         string // SPEC 3's name: "allowlisted", "not_allowlisted", ...
	Direction      Direction
	Rule           int // index in allowedTenants, -1 for none
	ExternalTenant TenantID
	Creator        TenantID
	Target         TenantID
	BlockedBy      TenantID // the tenant whose policy denied, for a set's deny
	PolicyID       uint64
	Err            error
	reason         C.tiso_reason
}

// Reason names, read once: they are the library's static strings.
var reasonNames = func() []string {
	names := make([]string, 8)
	for i := range names {
		names[i] = C.GoString(C.tiso_reason_name(C.tiso_reason(i)))
	}
	return names
}()

func decisionOf(d *C.tiso_decision) Decision {
	r := int(d.reason)
	reason := "unknown"
	if r >= 0 && r < len(reasonNames) {
		reason = reasonNames[r]
	}
	return Decision{
		Allowed:        d.verdict == C.TISO_ALLOW,
		Reason:         reason,
		Direction:      Direction(d.direction),
		Rule:           int(d.rule),
		ExternalTenant: *(*TenantID)(unsafe.Pointer(&d.external_tenant)),
		Creator:        *(*TenantID)(unsafe.Pointer(&d.creator)),
		Target:         *(*TenantID)(unsafe.Pointer(&d.target)),
		BlockedBy:      *(*TenantID)(unsafe.Pointer(&d.blocked_by)),
		PolicyID:       uint64(d.policy_id),
		reason:         d.reason,
	}
}

// cDecision is the C struct again, for the library's message.
func (d *Decision) cDecision() C.tiso_decision {
	var c C.tiso_decision
	if d.Allowed {
		c.verdict = C.TISO_ALLOW
	}
	c.reason = d.reason
	c.direction = C.tiso_direction(d.Direction)
	c.rule = C.int32_t(d.Rule)
	c.external_tenant = *(*C.tiso_tenant_id)(unsafe.Pointer(&d.ExternalTenant))
	c.creator = *(*C.tiso_tenant_id)(unsafe.Pointer(&d.Creator))
	c.target = *(*C.tiso_tenant_id)(unsafe.Pointer(&d.Target))
	c.blocked_by = *(*C.tiso_tenant_id)(unsafe.Pointer(&d.BlockedBy))
	c.policy_id = C.uint64_t(d.PolicyID)
	return c
}

// Verdict is "allow" or "deny".
func (d *Decision) Verdict() string {
	if d.Allowed {
		return "allow"
	}
	return "deny"
}

// Message is the decision's explanation for a person.
func (d *Decision) Message() string {
	raw := d.cDecision()
	var buf [1024]C.char
	n := C.tiso_decision_message(&buf[0], C.size_t(len(buf)), &raw)
	if int(n) < len(buf) {
		return C.GoString(&buf[0])
	}
	big := make([]C.char, int(n)+1)
	C.tiso_decision_message(&big[0], C.size_t(len(big)), &raw)
	return C.GoString(&big[0])
}

// badEnum is no direction's or auth kind's value.
const badEnum = 0x7fff

// scratch holds one batch call's C arrays; pooled, so a batch allocates only
// its result.
type scratch struct {
	req []C.tiso_request
	out []C.tiso_decision
	set []C.tiso_set_decision
	st  []C.tiso_status
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func getScratch(n int, set bool) *scratch {
	s := scratchPool.Get().(*scratch)
	if cap(s.req) < n {
		s.req = make([]C.tiso_request, n)
		s.st = make([]C.tiso_status, n)
	}
	s.req, s.st = s.req[:n], s.st[:n]
	if set && cap(s.set) < n {
		s.set = make([]C.tiso_set_decision, n)
	} else if !set && cap(s.out) < n {
		s.out = make([]C.tiso_decision, n)
	}
	return s
}

// cRequests converts requests for one call into s.req. Connector strings
// are copied into C memory, freed by the returned function.
func cRequests(s *scratch, reqs []Request) func() {
	out := s.req
	var strs []unsafe.Pointer
	for i := range reqs {
		r := &reqs[i]
		c := &out[i]
		c.creator = *(*C.tiso_tenant_id)(unsafe.Pointer(&r.Creator))
		c.target = *(*C.tiso_tenant_id)(unsafe.Pointer(&r.Target))
		c.direction = C.tiso_direction(r.Direction)
		c.auth = C.tiso_auth_kind(r.Auth)
		if strings.IndexByte(r.Connector, 0) >= 0 {
			c.auth = badEnum // a NUL would cut the name short: the library refuses the request
		} else if r.Connector != "" {
			s := C.CString(r.Connector)
			strs = append(strs, unsafe.Pointer(s))
			c.connector = s
		} else {
			c.connector = nil
		}
	}
	return func() {
		for _, s := range strs {
			C.free(s)
		}
	}
}
