package flaky

import (
	"math"
	"sort"
	"time"

	"github.com/google/uuid"
)

// Evidence kinds: why a result is part of a flaky test's evidence.
const (
	KindRetryRun   = "retry_run"   // passed and failed in the same run
	KindRetryBuild = "retry_build" // passed and failed in runs of the same Jenkins build
	KindFlip       = "flip"        // its run's outcome differs from the previous run's
)

// maxEvidence bounds the evidence kept per flaky test (the newest rows).
const maxEvidence = 50

// Key identifies one test for flakiness: a test id in a project, split by
// component, env and Jenkins job ("" where absent).
type Key struct {
	TestID, Component, Env, Job string
}

// histRow is one result of a candidate test in the window, with its run's
// Jenkins job and build.
type histRow struct {
	ResultID  uuid.UUID
	RunID     *uuid.UUID
	TestID    string
	Component string
	Env       string
	Result    string
	StartTime time.Time
	Job       string
	Build     string
}

func (h histRow) key() Key {
	return Key{TestID: h.TestID, Component: h.Component, Env: h.Env, Job: h.Job}
}

// failed reports whether an outcome counts as a failure; every other
// outcome detection reads (passed) counts as a pass.
func failed(result string) bool { return result == "failed" || result == "error" }

// evidenceRow is one result that made a test flaky.
type evidenceRow struct {
	ResultID  uuid.UUID
	RunID     *uuid.UUID
	Kind      string
	Outcome   string
	Build     string
	StartTime time.Time
}

// Found is a test detection found flaky, with its figures and evidence.
type Found struct {
	Key
	Score      float64
	FlipRate   float64
	Flips      int
	Retries    int
	Runs       int
	FirstFlake time.Time
	LastFlake  time.Time
	Evidence   []evidenceRow
}

// detect applies the rules of docs/triage.md#flaky-tests to the window's
// results of some tests (passes, failures and errors only) and returns the
// flaky ones.
func detect(rows []histRow, st Settings) []Found {
	byKey := map[Key][]histRow{}
	var keys []Key
	for _, r := range rows {
		k := r.key()
		if _, ok := byKey[k]; !ok {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], r)
	}
	var out []Found
	for _, k := range keys {
		if f, ok := detectOne(k, byKey[k], st); ok {
			out = append(out, f)
		}
	}
	sort.Slice(out, func(i, j int) bool { return lessKey(out[i].Key, out[j].Key) })
	return out
}

func lessKey(a, b Key) bool {
	if a.TestID != b.TestID {
		return a.TestID < b.TestID
	}
	if a.Component != b.Component {
		return a.Component < b.Component
	}
	if a.Env != b.Env {
		return a.Env < b.Env
	}
	return a.Job < b.Job
}

// runGroup is a test's results in one run.
type runGroup struct {
	id      string
	start   time.Time
	rows    []histRow
	pass    bool
	fail    bool
	build   string
	counted bool // already a retry of its own
}

func (g *runGroup) outcome() string {
	if g.fail {
		return "failed"
	}
	return "passed"
}

func detectOne(k Key, rows []histRow, st Settings) (Found, bool) {
	groups := map[string]*runGroup{}
	var order []*runGroup
	for _, r := range rows {
		id := r.ResultID.String() // a result without run is its own run
		if r.RunID != nil {
			id = r.RunID.String()
		}
		g := groups[id]
		if g == nil {
			g = &runGroup{id: id, start: r.StartTime, build: r.Build}
			groups[id] = g
			order = append(order, g)
		}
		g.rows = append(g.rows, r)
		if r.StartTime.Before(g.start) {
			g.start = r.StartTime
		}
		if failed(r.Result) {
			g.fail = true
		} else {
			g.pass = true
		}
	}
	sort.Slice(order, func(i, j int) bool {
		if !order[i].start.Equal(order[j].start) {
			return order[i].start.Before(order[j].start)
		}
		return order[i].id < order[j].id
	})
	ev := map[uuid.UUID]evidenceRow{}
	add := func(g *runGroup, kind string) {
		for _, r := range g.rows {
			if _, ok := ev[r.ResultID]; !ok {
				ev[r.ResultID] = evidenceRow{ResultID: r.ResultID, RunID: r.RunID, Kind: kind, Outcome: r.Result, Build: r.Build, StartTime: r.StartTime}
			}
		}
	}
	retries := 0
	// Rule 1a: passed and failed within one run.
	for _, g := range order {
		if g.pass && g.fail {
			retries++
			g.counted = true
			add(g, KindRetryRun)
		}
	}
	// Rule 1b: passed and failed in different runs of one Jenkins build.
	if k.Job != "" {
		builds := map[string][]*runGroup{}
		var bOrder []string
		for _, g := range order {
			if g.build == "" {
				continue
			}
			if _, ok := builds[g.build]; !ok {
				bOrder = append(bOrder, g.build)
			}
			builds[g.build] = append(builds[g.build], g)
		}
		for _, b := range bOrder {
			gs := builds[b]
			var pass, fail bool
			for _, g := range gs {
				if g.counted {
					continue
				}
				pass, fail = pass || !g.fail, fail || g.fail
			}
			if pass && fail {
				retries++
				for _, g := range gs {
					add(g, KindRetryBuild)
				}
			}
		}
	}
	// Rule 2: at least K outcome flips over the last N runs.
	last := order
	if len(last) > st.LastRuns {
		last = last[len(last)-st.LastRuns:]
	}
	flips := 0
	for i := 1; i < len(last); i++ {
		if last[i].outcome() != last[i-1].outcome() {
			flips++
		}
	}
	flipRate := 0.0
	if len(last) > 1 {
		flipRate = float64(flips) / float64(len(last)-1)
	}
	if flips >= st.MinFlips {
		for i := 1; i < len(last); i++ {
			if last[i].outcome() != last[i-1].outcome() {
				add(last[i-1], KindFlip)
				add(last[i], KindFlip)
			}
		}
	}
	if retries == 0 && flips < st.MinFlips {
		return Found{}, false
	}
	f := Found{Key: k, Flips: flips, Retries: retries, Runs: len(order), FlipRate: round3(flipRate)}
	f.Score = round3(math.Min(1, flipRate+float64(retries)/float64(len(order))))
	for _, e := range ev {
		f.Evidence = append(f.Evidence, e)
	}
	sort.Slice(f.Evidence, func(i, j int) bool {
		a, b := f.Evidence[i], f.Evidence[j]
		if !a.StartTime.Equal(b.StartTime) {
			return a.StartTime.Before(b.StartTime)
		}
		return a.ResultID.String() < b.ResultID.String()
	})
	f.FirstFlake, f.LastFlake = f.Evidence[0].StartTime, f.Evidence[len(f.Evidence)-1].StartTime
	if len(f.Evidence) > maxEvidence {
		f.Evidence = f.Evidence[len(f.Evidence)-maxEvidence:]
	}
	return f, true
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
