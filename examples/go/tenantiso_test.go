package tenantiso

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

const (
	contoso  = "c0a7b3e1-5d4f-4e2a-9b1c-000000c07050"
	fabrikam = "fab41ca0-7e3d-4c1b-8a2f-0000000fab41"
	tenantA  = "11111111-1111-1111-1111-111111111111"
	tenantB  = "22222222-2222-2222-2222-222222222222"
)

func policyJSON(home string, outbound ...string) string {
	entries := make([]string, len(outbound))
	for i, t := range outbound {
		entries[i] = fmt.Sprintf(`{"tenantId": %q, "direction": {"inbound": false, "outbound": true}}`, t)
	}
	return fmt.Sprintf(`{"tenantId": %q, "isDisabled": false, "allowedTenants": [%s]}`, home, strings.Join(entries, ","))
}

func mustLoad(t testing.TB, doc string) *Policy {
	t.Helper()
	p, err := LoadJSON([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func id(t testing.TB, s string) TenantID {
	t.Helper()
	v, err := ParseTenantID(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestLoadFileAndEvaluate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "policy.json")
	if err := os.WriteFile(path, []byte(policyJSON(contoso, fabrikam)), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	d, err := p.Evaluate(contoso, fabrikam, DirectionAuto)
	if err != nil || !d.Allowed || d.Reason != "allowlisted" || d.Direction != DirectionOutbound || d.Rule != 0 {
		t.Fatalf("got %+v, %v", d, err)
	}
	d, err = p.Evaluate(contoso, tenantB, DirectionAuto)
	if err != nil || d.Allowed || d.Reason != "not_allowlisted" || d.ExternalTenant.String() != tenantB {
		t.Fatalf("got %+v, %v", d, err)
	}
	if !strings.Contains(d.Message(), tenantB) {
		t.Fatalf("message %q does not name the external tenant", d.Message())
	}
}

func TestErrorsAreTheLibrarys(t *testing.T) {
	_, err := LoadJSON([]byte("{\n  \"tenantId\": 5,"))
	var e *Error
	if !errors.As(err, &e) || e.Code != "syntax" || e.Line != 2 || !errors.Is(err, ErrSyntax) {
		t.Fatalf("got %#v", err)
	}
	_, err = LoadFile(filepath.Join(t.TempDir(), "missing.json"))
	if !errors.Is(err, ErrIO) {
		t.Fatalf("got %v", err)
	}
	p := mustLoad(t, policyJSON(contoso))
	defer p.Close()
	if _, err := p.Evaluate("not-a-tenant", fabrikam, DirectionAuto); !errors.Is(err, ErrInvalidDomain) {
		t.Fatalf("got %v", err)
	}
	if _, err := p.Evaluate(contoso, tenantB, DirectionInbound); !errors.Is(err, ErrInconsistentDirection) {
		t.Fatalf("got %v", err)
	}
}

func requests(t testing.TB) []Request {
	c, f, a, b := id(t, contoso), id(t, fabrikam), id(t, tenantA), id(t, tenantB)
	return []Request{
		{Creator: c, Target: f, Direction: DirectionAuto},
		{Creator: TenantID{}, Target: f, Direction: DirectionAuto}, // nil: invalid_tenant
		{Creator: c, Target: b, Direction: DirectionAuto},
		{Creator: c, Target: b, Direction: DirectionNone}, // invalid direction
		{Creator: c, Target: b, Direction: DirectionAuto, Connector: "shared_visualstudioteamservices"},
		{Creator: c, Target: b, Direction: DirectionAuto, Connector: "shared_visualstudioteamservices\x00x"},
		{Creator: c, Target: c, Direction: DirectionAuto},
		{Creator: a, Target: b, Direction: DirectionAuto},
		{Creator: f, Target: c, Direction: DirectionAuto},
		{Creator: c, Target: b, Direction: DirectionInbound},
	}
}

func TestBatchIsEachRequestAlone(t *testing.T) {
	p := mustLoad(t, policyJSON(contoso, fabrikam))
	defer p.Close()
	set, err := NewPolicySet(false)
	if err != nil {
		t.Fatal(err)
	}
	defer set.Close()
	fab := mustLoad(t, policyJSON(fabrikam))
	defer fab.Close()
	if err := set.Add(p); err != nil {
		t.Fatal(err)
	}
	if err := set.Add(fab); err != nil {
		t.Fatal(err)
	}
	if err := set.Add(fab); !errors.Is(err, ErrConflict) {
		t.Fatalf("a second policy for one home: %v", err)
	}
	reqs := requests(t)
	for _, ev := range []struct {
		name  string
		batch func([]Request) []Decision
	}{{"policy", p.EvaluateBatch}, {"set", set.EvaluateBatch}} {
		got := ev.batch(reqs)
		if len(got) != len(reqs) {
			t.Fatalf("%s: %d decisions for %d requests", ev.name, len(got), len(reqs))
		}
		failed := 0
		for i, r := range reqs {
			alone := ev.batch([]Request{r})[0]
			g := got[i]
			if (g.Err == nil) != (alone.Err == nil) || g.Allowed != alone.Allowed || g.Reason != alone.Reason || g.BlockedBy != alone.BlockedBy {
				t.Errorf("%s: request %d: batch %+v, alone %+v", ev.name, i, g, alone)
			}
			if g.Err != nil {
				failed++
				var e *Error
				if g.Allowed || !errors.As(g.Err, &e) {
					t.Errorf("%s: request %d: an error that is not a deny with *Error: %+v", ev.name, i, g)
				}
			}
		}
		if !errors.Is(got[1].Err, ErrInvalidTenant) || !errors.Is(got[3].Err, ErrInvalidArgument) || !errors.Is(got[5].Err, ErrInvalidArgument) {
			t.Errorf("%s: errors %v, %v, %v", ev.name, got[1].Err, got[3].Err, got[5].Err)
		}
		if ev.name == "policy" && (!got[0].Allowed || got[2].Allowed || !got[4].Allowed) {
			t.Errorf("%s: a bad request changed its neighbours: %+v", ev.name, got[:5])
		}
		t.Logf("%s: %d of %d requests refused", ev.name, failed, len(reqs))
	}
	if d := set.EvaluateBatch(reqs)[8]; d.Allowed || d.BlockedBy.String() != fabrikam {
		t.Errorf("Fabrikam's own policy must block it: %+v", d)
	}
}

func TestCloseIsSafe(t *testing.T) {
	p := mustLoad(t, policyJSON(contoso))
	p.Close()
	p.Close()
	if _, err := p.Evaluate(contoso, fabrikam, DirectionAuto); !errors.Is(err, ErrClosed) {
		t.Fatalf("after Close: %v", err)
	}
}

// Goroutines decide batches while another replaces the home's policy: each
// batch sees one version, all allowed or all denied.
func TestReplaceUnderBatches(t *testing.T) {
	set, err := NewPolicySet(false)
	if err != nil {
		t.Fatal(err)
	}
	defer set.Close()
	open, closed := policyJSON(contoso, fabrikam, tenantA, tenantB), policyJSON(contoso)
	first := mustLoad(t, open)
	set.Replace(first)
	first.Close()
	var batch []Request
	for i := 0; i < 100; i++ {
		for _, target := range []string{fabrikam, tenantA, tenantB} {
			batch = append(batch, Request{Creator: id(t, contoso), Target: id(t, target), Direction: DirectionAuto})
		}
	}
	stop := make(chan struct{})
	var writer sync.WaitGroup
	writer.Add(1)
	go func() {
		defer writer.Done()
		for n := 0; ; n++ {
			select {
			case <-stop:
				return
			default:
			}
			doc := closed
			if n%2 == 1 {
				doc = open
			}
			p := mustLoad(t, doc)
			if err := set.Replace(p); err != nil {
				t.Error(err)
			}
			p.Close()
		}
	}()
	var readers sync.WaitGroup
	for g := 0; g < 4; g++ {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for n := 0; n < 300; n++ {
				ds := set.EvaluateBatch(batch)
				for _, d := range ds {
					if d.Err != nil || d.Allowed != ds[0].Allowed {
						t.Errorf("batch %d mixes versions or fails: %+v", n, d)
						return
					}
				}
			}
		}()
	}
	readers.Wait()
	close(stop)
	writer.Wait()
}

// mustSet is a policy set (unknown tenants not isolated) of `policies`.
func mustSet(t *testing.T, policies ...*Policy) *PolicySet {
	t.Helper()
	set, err := NewPolicySet(false)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range policies {
		if err := set.Add(p); err != nil {
			set.Close()
			t.Fatal(err)
		}
	}
	return set
}

// A creator or target that is no tenant ID gets the status of the library's
// one classifier, as in the CLI and Python (tests/cli/test_consistency.py);
// Evaluate used to answer invalid_tenant for every one of them.
func TestNamesGetTheClassifiersStatus(t *testing.T) {
	p := mustLoad(t, policyJSON(contoso))
	defer p.Close()
	set := mustSet(t, p)
	defer set.Close()
	cases := []struct {
		name string
		want error
	}{
		{"bad", ErrInvalidDomain},
		{"contoso.com", ErrResolve}, // a domain, and no resolver
		{"-bad-.com", ErrInvalidDomain},
		{"*", ErrInvalidTenant},
		{"", ErrInvalidTenant},
		{"{" + contoso + "}", ErrInvalidTenant},
		{contoso + " ", ErrInvalidTenant},
		{"00000000-0000-0000-0000-000000000000", ErrInvalidTenant},
		{"a\x00b", ErrInvalidArgument},
	}
	for _, c := range cases {
		if _, err := p.Evaluate(c.name, fabrikam, DirectionAuto); !errors.Is(err, c.want) {
			t.Errorf("policy, creator %q: got %v, want %v", c.name, err, c.want)
		}
		if _, err := p.Evaluate(contoso, c.name, DirectionAuto); !errors.Is(err, c.want) {
			t.Errorf("policy, target %q: got %v, want %v", c.name, err, c.want)
		}
		if _, err := set.Evaluate(c.name, fabrikam); !errors.Is(err, c.want) {
			t.Errorf("set, creator %q: got %v, want %v", c.name, err, c.want)
		}
	}
	if d, err := p.Evaluate(strings.ToUpper(contoso), contoso, DirectionAuto); err != nil || !d.Allowed {
		t.Errorf("an upper-case ID: %v %v", d, err)
	}
}
