package tenantiso

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cpuNs is the process's CPU time (all threads, the collector's too): on a
// busy host it shows the cost that the wall clock hides under waiting.
func cpuNs() int64 {
	var u syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return u.Utime.Nano() + u.Stime.Nano()
}

// A policy of 10,000 entries and requests that hit and miss it, as the C
// benchmark's (SPEC 9). ns/decision is the figure to compare.
func benchPolicy(b *testing.B) (*Policy, []Request) {
	const n = 10000
	home := id(b, contoso)
	entries := make([]string, n)
	reqs := make([]Request, 0, 2*n)
	for i := 0; i < n; i++ {
		t := fmt.Sprintf("5a000000-0000-4000-8000-%012d", i+1)
		entries[i] = fmt.Sprintf(`{"tenantId": %q, "direction": {"inbound": true, "outbound": true}}`, t)
		miss := fmt.Sprintf("6b000000-0000-4000-8000-%012d", i+1)
		reqs = append(reqs, Request{Creator: home, Target: id(b, t), Direction: DirectionAuto},
			Request{Creator: id(b, miss), Target: home, Direction: DirectionAuto})
	}
	doc := fmt.Sprintf(`{"tenantId": %q, "isDisabled": false, "allowedTenants": [%s]}`, contoso, strings.Join(entries, ","))
	return mustLoad(b, doc), reqs
}

func BenchmarkEvaluateRequest(b *testing.B) {
	p, reqs := benchPolicy(b)
	defer p.Close()
	b.ResetTimer()
	start, cpu := time.Now(), cpuNs()
	for i := 0; i < b.N; i++ {
		if _, err := p.EvaluateRequest(reqs[i%len(reqs)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(b.N), "ns/decision")
	b.ReportMetric(float64(cpuNs()-cpu)/float64(b.N), "cpu-ns/decision")
}

func BenchmarkEvaluateBatch(b *testing.B) {
	p, reqs := benchPolicy(b)
	defer p.Close()
	b.ResetTimer()
	start, cpu := time.Now(), cpuNs()
	for i := 0; i < b.N; i++ {
		for _, d := range p.EvaluateBatch(reqs) {
			if d.Err != nil {
				b.Fatal(d.Err)
			}
		}
	}
	b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(b.N*len(reqs)), "ns/decision")
	b.ReportMetric(float64(cpuNs()-cpu)/float64(b.N*len(reqs)), "cpu-ns/decision")
}
