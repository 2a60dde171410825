package tenantiso

/*
#cgo pkg-config: tenantiso
#include <stdlib.h>
#include <tenantiso.h>
*/
import "C"

import (
	"runtime"
	"strings"
	"sync"
	"unsafe"
)

// handle guards a C pointer: calls hold the read lock, Close the write lock,
// so Close waits for running calls and a call after Close gets ErrClosed.
// The finalizer frees what a caller forgot to Close.
type handle struct {
	mu  sync.RWMutex
	ptr unsafe.Pointer
}

func (h *handle) acquire() (unsafe.Pointer, error) {
	h.mu.RLock()
	if h.ptr == nil {
		h.mu.RUnlock()
		return nil, ErrClosed
	}
	return h.ptr, nil
}

func (h *handle) release() { h.mu.RUnlock() }

func (h *handle) close(free func(unsafe.Pointer)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ptr != nil {
		free(h.ptr)
		h.ptr = nil
	}
}

// Policy is a loaded tenant isolation policy: immutable, safe for any number
// of goroutines. Close it when done (a finalizer is only a safety net).
type Policy struct{ h handle }

func freePolicy(p unsafe.Pointer) { C.tiso_policy_free((*C.tiso_policy)(p)) }

func newPolicy(p *C.tiso_policy) *Policy {
	pol := &Policy{h: handle{ptr: unsafe.Pointer(p)}}
	runtime.SetFinalizer(pol, (*Policy).Close)
	return pol
}

// LoadFile loads the admin API's policy document at path.
func LoadFile(path string) (*Policy, error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	var p *C.tiso_policy
	var err C.tiso_error
	if st := C.tiso_policy_load_file(&p, cpath, nil, &err); st != C.TISO_OK {
		return nil, detailedError(st, &err)
	}
	return newPolicy(p), nil
}

// LoadJSON loads a policy document from memory.
func LoadJSON(doc []byte) (*Policy, error) {
	var p *C.tiso_policy
	var err C.tiso_error
	cdoc := C.CBytes(doc)
	defer C.free(cdoc)
	if st := C.tiso_policy_load_json(&p, (*C.char)(cdoc), C.size_t(len(doc)), nil, &err); st != C.TISO_OK {
		return nil, detailedError(st, &err)
	}
	return newPolicy(p), nil
}

// Close drops the policy (a set holding it keeps its own reference). It
// waits for calls running on other goroutines; it is safe to call twice.
func (p *Policy) Close() error {
	p.h.close(freePolicy)
	runtime.SetFinalizer(p, nil)
	return nil
}

// Evaluate decides a connection from creator to target (tenant ID strings).
func (p *Policy) Evaluate(creator, target string, dir Direction) (Decision, error) {
	r, err := request(creator, target, dir)
	if err != nil {
		return Decision{Allowed: false, Rule: -1, Err: err}, err
	}
	return p.EvaluateRequest(r)
}

// EvaluateRequest decides a request of parsed IDs.
func (p *Policy) EvaluateRequest(r Request) (Decision, error) {
	ds := p.EvaluateBatch([]Request{r})
	return ds[0], ds[0].Err
}

// EvaluateBatch decides every request in one call into the library and
// returns the decisions in order. A request that cannot be decided gets a
// deny with Err set (an *Error); the others are unaffected.
func (p *Policy) EvaluateBatch(reqs []Request) []Decision {
	out := make([]Decision, len(reqs))
	if len(reqs) == 0 {
		return out
	}
	ptr, err := p.h.acquire()
	if err != nil {
		return failAll(out, err)
	}
	defer p.h.release()
	s := getScratch(len(reqs), false)
	defer scratchPool.Put(s)
	free := cRequests(s, reqs)
	defer free()
	if r := C.tiso_evaluate_batch(&s.out[0], &s.st[0], (*C.tiso_policy)(ptr), &s.req[0], C.size_t(len(reqs))); r != C.TISO_OK {
		return failAll(out, statusError(r))
	}
	for i := range out {
		out[i] = decided(&s.out[i], s.st[i])
	}
	return out
}

func decided(d *C.tiso_decision, st C.tiso_status) Decision {
	dec := decisionOf(d)
	if st != C.TISO_OK {
		dec.Err = statusError(st)
	}
	return dec
}

func failAll(out []Decision, err error) []Decision {
	for i := range out {
		out[i] = Decision{Rule: -1, Err: err}
	}
	return out
}

func request(creator, target string, dir Direction) (Request, error) {
	c, err := tenantOf(creator)
	if err != nil {
		return Request{}, err
	}
	t, err := tenantOf(target)
	if err != nil {
		return Request{}, err
	}
	return Request{Creator: c, Target: t, Direction: dir}, nil
}

// tenantOf parses a creator or target given as text. A name that is no
// tenant ID fails with the status of the library's one classifier
// (invalid_tenant, invalid_domain, or resolve for a domain: no resolver
// here), as the CLI and the other bindings answer.
func tenantOf(name string) (TenantID, error) {
	var id TenantID
	if strings.IndexByte(name, 0) >= 0 {
		return id, misuse("a tenant name holds a NUL byte")
	}
	var err C.tiso_error
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	if st := C.tiso_resolver_resolve((*C.tiso_tenant_id)(unsafe.Pointer(&id)), nil, cs, &err); st != C.TISO_OK {
		return TenantID{}, detailedError(st, &err)
	}
	return id, nil
}

// PolicySet holds one policy per home tenant and decides both sides of a
// connection (SPEC 3.1). Replace and Remove are atomic while any number of
// goroutines evaluate.
type PolicySet struct{ h handle }

func freeSet(p unsafe.Pointer) { C.tiso_policy_set_free((*C.tiso_policy_set)(p)) }

// NewPolicySet makes an empty set. unknownIsolated makes a tenant without a
// policy isolated with an empty allowlist (else isolation off).
func NewPolicySet(unknownIsolated bool) (*PolicySet, error) {
	var flags C.unsigned
	if unknownIsolated {
		flags = C.TISO_SET_UNKNOWN_ISOLATED
	}
	var s *C.tiso_policy_set
	var err C.tiso_error
	if st := C.tiso_policy_set_new(&s, flags, &err); st != C.TISO_OK {
		return nil, detailedError(st, &err)
	}
	set := &PolicySet{h: handle{ptr: unsafe.Pointer(s)}}
	runtime.SetFinalizer(set, (*PolicySet).Close)
	return set, nil
}

// Close frees the set; it waits for running calls. Safe to call twice.
func (s *PolicySet) Close() error {
	s.h.close(freeSet)
	runtime.SetFinalizer(s, nil)
	return nil
}

// withPolicy runs a writer call on the set and the policy's pointers.
func (s *PolicySet) withPolicy(p *Policy, call func(*C.tiso_policy_set, *C.tiso_policy, *C.tiso_error) C.tiso_status) error {
	sp, err := s.h.acquire()
	if err != nil {
		return err
	}
	defer s.h.release()
	pp, err := p.h.acquire()
	if err != nil {
		return err
	}
	defer p.h.release()
	var cerr C.tiso_error
	if st := call((*C.tiso_policy_set)(sp), (*C.tiso_policy)(pp), &cerr); st != C.TISO_OK {
		return detailedError(st, &cerr)
	}
	return nil
}

// Add adds p for its home tenant, which must have no policy yet (ErrConflict).
func (s *PolicySet) Add(p *Policy) error {
	return s.withPolicy(p, func(set *C.tiso_policy_set, pol *C.tiso_policy, e *C.tiso_error) C.tiso_status {
		return C.tiso_policy_set_add(set, pol, e)
	})
}

// Replace puts p for its home tenant, atomically replacing the one it had.
func (s *PolicySet) Replace(p *Policy) error {
	return s.withPolicy(p, func(set *C.tiso_policy_set, pol *C.tiso_policy, e *C.tiso_error) C.tiso_status {
		return C.tiso_policy_set_put(set, pol, e)
	})
}

// LoadFile loads a policy file into the set, or reloads it (see
// tiso_policy_set_load_file): an invalid file leaves the set as it was.
func (s *PolicySet) LoadFile(path string) error {
	sp, err := s.h.acquire()
	if err != nil {
		return err
	}
	defer s.h.release()
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	var cerr C.tiso_error
	if st := C.tiso_policy_set_load_file((*C.tiso_policy_set)(sp), cpath, nil, &cerr); st != C.TISO_OK {
		return detailedError(st, &cerr)
	}
	return nil
}

// Remove removes the policy of home (ErrNotFound if it has none).
func (s *PolicySet) Remove(home TenantID) error {
	sp, err := s.h.acquire()
	if err != nil {
		return err
	}
	defer s.h.release()
	var cerr C.tiso_error
	if st := C.tiso_policy_set_remove((*C.tiso_policy_set)(sp), (*C.tiso_tenant_id)(unsafe.Pointer(&home)), &cerr); st != C.TISO_OK {
		return detailedError(st, &cerr)
	}
	return nil
}

// Len is the number of policies in the set.
func (s *PolicySet) Len() int {
	sp, err := s.h.acquire()
	if err != nil {
		return 0
	}
	defer s.h.release()
	return int(C.tiso_policy_set_count((*C.tiso_policy_set)(sp)))
}

// Evaluate is the two-sided decision; BlockedBy names the side that denied.
func (s *PolicySet) Evaluate(creator, target string) (Decision, error) {
	r, err := request(creator, target, DirectionAuto)
	if err != nil {
		return Decision{Rule: -1, Err: err}, err
	}
	ds := s.EvaluateBatch([]Request{r})
	return ds[0], ds[0].Err
}

// EvaluateBatch gives the two-sided decision of every request, from one
// call into the library; the whole batch sees one version of the set.
// Errors per request as Policy.EvaluateBatch.
func (s *PolicySet) EvaluateBatch(reqs []Request) []Decision {
	out := make([]Decision, len(reqs))
	if len(reqs) == 0 {
		return out
	}
	sp, err := s.h.acquire()
	if err != nil {
		return failAll(out, err)
	}
	defer s.h.release()
	sc := getScratch(len(reqs), true)
	defer scratchPool.Put(sc)
	free := cRequests(sc, reqs)
	defer free()
	if r := C.tiso_policy_set_decide_batch(&sc.set[0], &sc.st[0], (*C.tiso_policy_set)(sp), &sc.req[0], C.size_t(len(reqs))); r != C.TISO_OK {
		return failAll(out, statusError(r))
	}
	for i := range out {
		out[i] = decided(&sc.set[i].decision, sc.st[i])
	}
	return out
}
