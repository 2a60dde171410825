package tenantiso

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// The cross-surface table (tests/cli/test_consistency.py): every record as
// the CLI and Python decide it without a domain map. Only in the repository.
var recordsFile = filepath.Join("..", "..", "tests", "cli", "consistency_records.json")

type sharedOutcome struct {
	Status                     string
	Verdict, Reason, BlockedBy *string
}

type sharedRecord struct {
	Creator, Target string
	Connector       *string
	sharedOutcome
	Set sharedOutcome
}

// text is the outcome as outcomeOf gives it; withBlocked adds blockedBy.
func (o sharedOutcome) text(withBlocked bool) string {
	if o.Status != "ok" {
		return o.Status
	}
	s := fmt.Sprintf("ok %s %s", *o.Verdict, *o.Reason)
	if withBlocked && o.BlockedBy != nil {
		s += " " + *o.BlockedBy
	}
	return s
}

// decider is a Policy or a PolicySet.
type decider interface {
	EvaluateBatch(reqs []Request) []Decision
}

func outcomeOf(d Decision, err error, withBlocked bool) string {
	var e *Error
	if errors.As(err, &e) || (err == nil && d.Err != nil && errors.As(d.Err, &e)) {
		return e.Code
	}
	s := fmt.Sprintf("ok %s %s", d.Verdict(), d.Reason)
	if withBlocked && !d.BlockedBy.IsNil() {
		s += " " + d.BlockedBy.String()
	}
	return s
}

// checkRecords runs each record through `p`'s batch, alone and all in one
// call, and through `plain` (Evaluate) when it has no connector.
func checkRecords(t *testing.T, label string, records []sharedRecord, p decider, withBlocked bool,
	want func(r sharedRecord) sharedOutcome, plain func(creator, target string) (Decision, error)) {
	var reqs []Request
	var at []int
	for i, r := range records {
		w := want(r).text(withBlocked)
		req, err := request(r.Creator, r.Target, DirectionAuto)
		if err != nil {
			if got := outcomeOf(Decision{}, err, withBlocked); got != w {
				t.Errorf("%s: record %d %+v: %q, want %q", label, i, r, got, w)
			}
			continue
		}
		if r.Connector != nil {
			req.Connector = *r.Connector
		} else if d, err := plain(r.Creator, r.Target); outcomeOf(d, err, withBlocked) != w {
			t.Errorf("%s: record %d %+v: Evaluate gives %q, want %q", label, i, r, outcomeOf(d, err, withBlocked), w)
		}
		if got := outcomeOf(p.EvaluateBatch([]Request{req})[0], nil, withBlocked); got != w {
			t.Errorf("%s: record %d %+v: EvaluateBatch gives %q, want %q", label, i, r, got, w)
		}
		reqs, at = append(reqs, req), append(at, i)
	}
	for k, d := range p.EvaluateBatch(reqs) {
		if got, w := outcomeOf(d, nil, withBlocked), want(records[at[k]]).text(withBlocked); got != w {
			t.Errorf("%s: record %d in one batch: %q, want %q", label, at[k], got, w)
		}
	}
}

func TestSharedRecordsGetTheCLIsAnswers(t *testing.T) {
	text, err := os.ReadFile(recordsFile)
	if errors.Is(err, os.ErrNotExist) {
		t.Skip("not in the repository: no ", recordsFile)
	} else if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Policy, Fabrikam json.RawMessage
		Records          []sharedRecord
	}
	if err := json.Unmarshal(text, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Records) < 40 {
		t.Fatalf("%d records", len(doc.Records))
	}
	p, err := LoadJSON(doc.Policy)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	fabrikam, err := LoadJSON(doc.Fabrikam)
	if err != nil {
		t.Fatal(err)
	}
	defer fabrikam.Close()
	set := mustSet(t, p, fabrikam)
	defer set.Close()
	checkRecords(t, "policy", doc.Records, p, false, func(r sharedRecord) sharedOutcome { return r.sharedOutcome },
		func(c, tg string) (Decision, error) { return p.Evaluate(c, tg, DirectionAuto) })
	checkRecords(t, "set", doc.Records, set, true, func(r sharedRecord) sharedOutcome { return r.Set }, set.Evaluate)
}
