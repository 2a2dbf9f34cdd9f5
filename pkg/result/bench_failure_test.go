package result_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/result"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/cpuclock"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// BenchmarkFailedAnswer compares the CPU of answering POST /result for a
// failure with its marks read before its insert (CreateView) against the
// way it was answered before (the run check, the insert, then RenderOne of
// the stored row), in alternating rounds on one connection, against a
// project whose failures share one fingerprint over 20 runs (like
// cmd/bench's), and a passed result's answer for scale.
// It reports the median per failure of the process's CPU and of the
// database's PostgreSQL backends' (/proc/<pid>/schedstat, so PostgreSQL
// must run on this machine). Run with
//
//	go test -run - -bench FailedAnswer -benchtime 300x ./pkg/result
func BenchmarkFailedAnswer(b *testing.B) {
	d := testdb.Both(b)["postgres"]
	ctx := context.Background()
	p := seedFailureProject(b, d, "bench", 20)
	owner := p.owner
	svc := quietService(d)
	defer svc.Close()
	n := 0
	req := func(classification string) result.CreateRequest {
		n++
		if classification == "passed" {
			return result.CreateRequest{TestID: model.Ptr(fmt.Sprintf("t.%d", n)), Result: model.Ptr("passed"),
				Metadata: map[string]any{"project": p.pid.String(), "run": p.runs[n%len(p.runs)].String()}}
		}
		md := p.failureMetadata(n)
		if classification != "" {
			md["classification"] = classification
		}
		return result.CreateRequest{TestID: model.Ptr(fmt.Sprintf("t.%d", n)), Result: model.Ptr("failed"), Metadata: md}
	}
	for i := 0; i < 2000; i++ {
		c := ""
		if i%100 == 0 {
			c = "product_bug"
		}
		if _, err := svc.Create(ctx, owner, req(c)); err != nil {
			b.Fatal(err)
		}
	}
	ways := map[string]func() error{
		"before insert": func() error { _, err := svc.CreateView(ctx, owner, req("")); return err },
		"passed":        func() error { _, err := svc.CreateView(ctx, owner, req("passed")); return err },
		"after insert (old)": func() error {
			r, err := svc.Create(ctx, owner, req(""))
			if err == nil {
				_, err = svc.RenderOne(ctx, r)
			}
			return err
		},
	}
	proc, pg := map[string][]float64{}, map[string][]float64{}
	b.ResetTimer()
	for round := 0; round < 7; round++ {
		for _, name := range []string{"before insert", "after insert (old)", "passed"} {
			p0, g0 := cpuclock.Used(b), backendsCPU(b, d)
			for i := 0; i < b.N; i++ {
				if err := ways[name](); err != nil {
					b.Fatal(err)
				}
			}
			p1, g1 := cpuclock.Used(b), backendsCPU(b, d)
			proc[name] = append(proc[name], float64(p1-p0)/float64(b.N))
			pg[name] = append(pg[name], float64(g1-g0)/float64(b.N))
		}
	}
	for name := range ways {
		b.Logf("%s: process %.0f ns, PostgreSQL %.0f ns per failure (medians of 7 rounds)", name, median(proc[name]), median(pg[name]))
	}
}

func median(xs []float64) float64 {
	sort.Float64s(xs)
	return xs[len(xs)/2]
}

// backendsCPU is the CPU time of the PostgreSQL backends connected to d's
// database.
func backendsCPU(b *testing.B, d *db.DB) time.Duration {
	var pids []int
	if err := d.Gorm.Raw(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`).Scan(&pids).Error; err != nil {
		b.Fatal(err)
	}
	var total time.Duration
	for _, p := range pids {
		raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/schedstat", p))
		if err != nil {
			b.Fatalf("PostgreSQL must run on this machine: %v", err)
		}
		ns, err := strconv.ParseInt(strings.Fields(string(raw))[0], 10, 64)
		if err != nil {
			b.Fatal(err)
		}
		total += time.Duration(ns)
	}
	return total
}
