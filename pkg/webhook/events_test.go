package webhook

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/result"
	"github.com/ibutsu-go/ibutsu/pkg/run"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/jsontest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// TestRunEvents: run.new_failures announces each new fingerprint of a run
// once; run.finished carries the counts, the link and the new failures;
// the chat formats render them.
func TestRunEvents(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d, nil)
		results := result.NewService(d, project.NewStore(d), nil, quiet)
		t.Cleanup(results.Close)
		early, late := uuid.New(), uuid.New()
		t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		testdb.Insert(t, d, &model.Run{ID: early, ProjectID: &f.mine, StartTime: t0, Created: t0},
			&model.Run{ID: late, ProjectID: &f.mine, StartTime: t0.Add(time.Hour), Created: t0,
				Data: model.JSON{"jenkins": map[string]any{"job_name": "nightly", "build_number": "42"}}})
		add := func(runID uuid.UUID, at time.Time, test, status, tb string) {
			ts, rid, pid := model.FormatTime(at), runID.String(), f.mine.String()
			_, err := results.Create(ctx, f.admin, result.CreateRequest{TestID: &test, Result: &status, Metadata: map[string]any{"short_tb": tb},
				StartTime: &ts, RunID: &rid, ProjectID: &pid})
			if err != nil {
				t.Fatal(err)
			}
		}
		known := "E   TimeoutError: gave up\n\ntests/test_a.py:3: TimeoutError"
		add(early, t0, "test_a", "failed", known)
		add(late, t0.Add(time.Hour), "test_a", "failed", known)
		add(late, t0.Add(time.Hour+time.Minute), "test_b", "failed", "E   assert 1 == 2\n\ntests/test_b.py:9: AssertionError")
		add(late, t0.Add(time.Hour+2*time.Minute), "test_ok", "passed", "")

		subJSON := f.subscribe(t, f.mine, "https://hooks.example/json", FormatJSON, EventRunNewFailures, EventRunFinished, EventTestFlaky)
		if err := f.svc.RunSummarized(ctx, late); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.RunSummarized(ctx, late); err != nil { // nothing new
			t.Fatal(err)
		}
		ds := f.deliveries(t, subJSON.ID)
		if len(ds) != 1 || ds[0].Event != EventRunNewFailures {
			t.Fatalf("after two summaries: %+v", ds)
		}
		body := decode(t, []byte(ds[0].Payload))
		nf, _ := body["new_failures"].([]any)
		if len(nf) != 1 || nf[0].(map[string]any)["test_id"] != "test_b" || !strings.HasPrefix(body["id"].(string), "run.new_failures:"+late.String()+":") {
			t.Fatalf("new failures event %v", body)
		}
		add(late, t0.Add(2*time.Hour), "test_c", "error", "E   KeyError: 'x'\n\ntests/test_c.py:1: KeyError")
		if err := f.svc.RunSummarized(ctx, late); err != nil {
			t.Fatal(err)
		}
		ds = f.deliveries(t, subJSON.ID)
		if len(ds) != 2 {
			t.Fatalf("after a third new failure: %+v", ds)
		}
		if nf := decode(t, []byte(ds[1].Payload))["new_failures"].([]any); len(nf) != 1 || nf[0].(map[string]any)["test_id"] != "test_c" {
			t.Fatalf("second event lists %v", nf)
		}

		if err := run.NewSummarizer(d, nil, quiet).Recompute(ctx, late); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.EmitRunFinished(ctx, late); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.EmitRunFinished(ctx, late); err != nil { // once per run
			t.Fatal(err)
		}
		ds = f.deliveries(t, subJSON.ID)
		if len(ds) != 3 || ds[2].EventID != "run.finished:"+late.String() {
			t.Fatalf("after run.finished: %+v", ds)
		}
		var env Envelope
		mustUnmarshal(t, ds[2].Payload, &env)
		if env.Run == nil || env.Run.Name != "nightly #42" || env.Run.Summary["tests"] != 4 || env.Run.Summary["failures"] != 2 ||
			env.Run.Summary["errors"] != 1 || env.Run.Summary["passes"] != 1 || len(env.Failures) != 2 || env.Project.Name != "mine" ||
			env.Run.URL != "http://ui.example/project/"+f.mine.String()+"/runs/"+late.String() {
			t.Fatalf("run.finished %+v %+v", env, env.Run)
		}

		slack := decode(t, mustRender(t, FormatSlack, &env))
		att := slack["attachments"].([]any)[0].(map[string]any)
		if !strings.Contains(slack["text"].(string), "Run nightly #42 finished") || !strings.Contains(slack["text"].(string), env.Run.URL) ||
			att["title_link"] != env.Run.URL || !strings.Contains(att["text"].(string), "test_b") || len(att["fields"].([]any)) != 5 {
			t.Errorf("slack %v", slack)
		}
		teams := decode(t, mustRender(t, FormatTeams, &env))
		a := teams["attachments"].([]any)[0].(map[string]any)
		card := a["content"].(map[string]any)
		if teams["type"] != "message" || a["contentType"] != "application/vnd.microsoft.card.adaptive" || card["type"] != "AdaptiveCard" ||
			card["actions"].([]any)[0].(map[string]any)["url"] != env.Run.URL || !strings.Contains(jsontest.String(t, card), "test_c") {
			t.Errorf("teams %v", teams)
		}

		if err := f.svc.EmitTestFlaky(ctx, FlakyTest{ProjectID: f.mine, TestID: "test_a", Reason: "passed 3, failed 2 of the last 5 runs", Since: t0}); err != nil {
			t.Fatal(err)
		}
		ds = f.deliveries(t, subJSON.ID)
		if len(ds) != 4 || ds[3].Event != EventTestFlaky || ds[3].EventID != "test.flaky:"+f.mine.String()+":test_a:2026-03-01" {
			t.Fatalf("flaky: %+v", ds)
		}
		// Another project's subscription hears none of it.
		theirs := f.subscribe(t, f.theirs, "https://hooks.example/t", FormatJSON, Events...)
		if err := f.svc.EmitRunFinished(ctx, early); err != nil {
			t.Fatal(err)
		}
		if n := len(f.deliveries(t, theirs.ID)); n != 0 {
			t.Errorf("their subscription got %d deliveries", n)
		}
	})
}

func mustRender(t *testing.T, format string, e *Envelope) []byte {
	t.Helper()
	b, err := render(format, e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustUnmarshal(t *testing.T, s string, v any) {
	t.Helper()
	if err := jsonUnmarshal([]byte(s), v); err != nil {
		t.Fatal(err)
	}
}

var jsonUnmarshal = json.Unmarshal
