package flaky

import (
	"testing"
	"time"

	"github.com/google/uuid"
)

// hist builds the history rows of detect: one result per outcome, each in
// its own run of job at consecutive hours from t0 (the n-th outcome of a
// call is in run base+n), with env and component as given.
type hist struct {
	t0   time.Time
	rows []histRow
	runs map[int]uuid.UUID
}

func (h *hist) add(run int, test, component, env, job, build, result string) {
	if h.runs == nil {
		h.runs = map[int]uuid.UUID{}
	}
	id, ok := h.runs[run]
	if !ok {
		id = uuid.New()
		h.runs[run] = id
	}
	h.rows = append(h.rows, histRow{ResultID: uuid.New(), RunID: &id, TestID: test, Component: component, Env: env,
		Result: result, StartTime: h.t0.Add(time.Duration(run)*time.Hour + time.Duration(len(h.rows))*time.Second), Job: job, Build: build})
}

func foundKeys(fs []Found) map[Key]Found {
	out := map[Key]Found{}
	for _, f := range fs {
		out[f.Key] = f
	}
	return out
}

// A test is split by env as by component: a pass in one env and a failure
// in another in the same run are two tests, neither retried.
func TestDetectSplitsByEnv(t *testing.T) {
	h := &hist{t0: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	h.add(1, "t_env", "", "prod", "nightly", "1", "passed")
	h.add(1, "t_env", "", "stage", "nightly", "1", "failed")
	h.add(2, "t_env", "", "prod", "nightly", "2", "passed")
	h.add(2, "t_env", "", "prod", "nightly", "2", "failed")
	got := foundKeys(detect(h.rows, Defaults))
	if len(got) != 1 {
		t.Fatalf("found %+v, want only t_env in prod", got)
	}
	f, ok := got[Key{TestID: "t_env", Env: "prod", Job: "nightly"}]
	// Run 1 passed, run 2 passed and failed (so failed): one flip too.
	if !ok || f.Retries != 1 || f.Runs != 2 || f.Flips != 1 || len(f.Evidence) != 2 || f.Evidence[0].Kind != KindRetryRun {
		t.Errorf("t_env in prod: %+v", f)
	}
}

// Flips count over the runs of one job: a test that always passes in one
// job and always fails in another, the runs interleaved, never flipped.
// The same outcomes in one job are 5 flips.
func TestDetectFlipsPerJob(t *testing.T) {
	h := &hist{t0: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	for i := range 6 {
		if i%2 == 0 {
			h.add(i, "t_jobs", "", "", "smoke", itoa(i), "passed")
		} else {
			h.add(i, "t_jobs", "", "", "full", itoa(i), "failed")
		}
	}
	if got := detect(h.rows, Defaults); len(got) != 0 {
		t.Errorf("two jobs, each stable: found %+v", got)
	}
	for i := range h.rows {
		h.rows[i].Job = "smoke"
	}
	got := foundKeys(detect(h.rows, Defaults))
	if f := got[Key{TestID: "t_jobs", Job: "smoke"}]; f.Flips != 5 || f.FlipRate != 1 || f.Runs != 6 {
		t.Errorf("one job P F P F P F: %+v", got)
	}
}

// Only the last N runs count for flips; the evidence keeps the newest 50
// results, while first_flake is the first of all of them.
func TestDetectLastRunsAndEvidenceCap(t *testing.T) {
	h := &hist{t0: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}
	// Runs 0-6 go P F P F P F P (6 flips), runs 7-15 pass: the last 10
	// runs (6-15) hold no flip; with N = 16 all six count.
	for i := range 16 {
		r := "passed"
		if i < 6 && i%2 == 1 {
			r = "failed"
		}
		h.add(i, "t_old_flips", "", "", "", "", r)
	}
	if got := detect(h.rows, Defaults); len(got) != 0 {
		t.Errorf("flips before the last 10 runs: found %+v", got)
	}
	if got := detect(h.rows, Settings{MinFlips: 3, LastRuns: 16, WindowDays: 14}); len(got) != 1 || got[0].Flips != 6 || got[0].FlipRate != 0.4 {
		t.Errorf("N = 16: %+v", got)
	}

	h = &hist{t0: h.t0}
	for i := range 30 { // 30 runs with a retry each: 60 results of evidence
		h.add(i, "t_retried", "", "", "", "", "failed")
		h.add(i, "t_retried", "", "", "", "", "passed")
	}
	got := detect(h.rows, Defaults)
	if len(got) != 1 {
		t.Fatalf("found %+v", got)
	}
	f := got[0]
	if f.Retries != 30 || f.Score != 1 || len(f.Evidence) != maxEvidence {
		t.Errorf("retries %d, score %v, %d evidence rows", f.Retries, f.Score, len(f.Evidence))
	}
	if !f.FirstFlake.Equal(h.rows[0].StartTime) || !f.LastFlake.Equal(h.rows[len(h.rows)-1].StartTime) {
		t.Errorf("first/last flake %v/%v, want %v/%v", f.FirstFlake, f.LastFlake, h.rows[0].StartTime, h.rows[len(h.rows)-1].StartTime)
	}
	if !f.Evidence[0].StartTime.Equal(h.rows[10].StartTime) {
		t.Errorf("oldest evidence kept %v, want the 11th result's %v", f.Evidence[0].StartTime, h.rows[10].StartTime)
	}
}
