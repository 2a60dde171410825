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

type sharedRecord struct {
	Creator, Target string
	Connector       *string
	Status          string
	Verdict, Reason *string
}

func outcomeOf(d Decision, err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil && d.Err != nil && errors.As(d.Err, &e) {
		return e.Code
	}
	return fmt.Sprintf("ok %s %s", d.Verdict(), d.Reason)
}

func TestSharedRecordsGetTheCLIsAnswers(t *testing.T) {
	text, err := os.ReadFile(recordsFile)
	if errors.Is(err, os.ErrNotExist) {
		t.Skip("not in the repository: no ", recordsFile)
	} else if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Policy  json.RawMessage
		Records []sharedRecord
	}
	if err := json.Unmarshal(text, &doc); err != nil {
		t.Fatal(err)
	}
	p, err := LoadJSON(doc.Policy)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if len(doc.Records) < 40 {
		t.Fatalf("%d records", len(doc.Records))
	}
	for i, r := range doc.Records {
		want := r.Status
		if r.Status == "ok" {
			want = fmt.Sprintf("ok %s %s", *r.Verdict, *r.Reason)
		}
		req, err := request(r.Creator, r.Target, DirectionAuto)
		var got, batch string
		if err != nil {
			got, batch = outcomeOf(Decision{}, err), outcomeOf(Decision{}, err)
		} else {
			if r.Connector != nil {
				req.Connector = *r.Connector
			}
			got = outcomeOf(p.EvaluateRequest(req))
			batch = outcomeOf(p.EvaluateBatch([]Request{req})[0], nil)
		}
		if r.Connector == nil {
			if plain := outcomeOf(p.Evaluate(r.Creator, r.Target, DirectionAuto)); plain != want {
				t.Errorf("record %d %+v: Evaluate gives %q, want %q", i, r, plain, want)
			}
		}
		if got != want || batch != want {
			t.Errorf("record %d %+v: EvaluateRequest gives %q, EvaluateBatch %q, want %q", i, r, got, batch, want)
		}
	}
}
