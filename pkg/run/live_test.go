package run

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/events"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// TestRunStates walks a run through its states on both databases: running
// on activity, finished by the quiet period only once quiet, running again
// on new activity, finished by its client for good; run.finished is
// published exactly when a run becomes finished; the other project's run
// is never touched.
func TestRunStates(t *testing.T) {
	testdb.EachFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		bus := events.NewLocal(events.Options{}, quiet)
		defer bus.Close()
		sub, _, _ := bus.Subscribe(events.ProjectStream(f.Mine), 0)
		defer sub.Close()
		s := NewSummarizer(d, nil, quiet, WithEvents(bus, 30*time.Minute))
		clock := time.Now().UTC().Truncate(time.Second)
		s.now = func() time.Time { return clock }
		st := store{db: d}
		state := func() string {
			row, err := st.stateOf(ctx, f.myRun.ID)
			if err != nil {
				t.Fatal(err)
			}
			ls := liveState(row)
			by := ""
			if ls.FinishedBy != nil {
				by = *ls.FinishedBy
			}
			return ls.State + "/" + by
		}
		if got := state(); got != "finished/" {
			t.Fatalf("a run without activity since the migration: %s", got)
		}
		s.updated(ctx, f.myRun.ID)
		if ev := <-sub.C; ev.Type != events.RunUpdated {
			t.Fatalf("after activity: %+v", ev)
		}
		if got := state(); got != "running/" {
			t.Fatalf("after activity: %s", got)
		}
		clock = clock.Add(29 * time.Minute)
		if n, err := s.FinishQuiet(ctx); err != nil || n != 0 || state() != "running/" {
			t.Fatalf("before the quiet period: %d %v %s", n, err, state())
		}
		clock = clock.Add(2 * time.Minute)
		if n, err := s.FinishQuiet(ctx); err != nil || n != 1 || state() != "finished/quiet" {
			t.Fatalf("after the quiet period: %d %v %s", n, err, state())
		}
		ev := <-sub.C
		var body StateEvent
		_ = json.Unmarshal(ev.Data, &body)
		if ev.Type != events.RunFinished || body.ID != f.myRun.ID.String() || body.FinishedBy == nil || *body.FinishedBy != FinishedByQuiet {
			t.Fatalf("quiet finish published %+v", ev)
		}
		if n, _ := s.FinishQuiet(ctx); n != 0 {
			t.Fatalf("finished twice: %d", n)
		}
		// A late result: running again.
		s.updated(ctx, f.myRun.ID)
		<-sub.C
		if got := state(); got != "running/" {
			t.Fatalf("after a late result: %s", got)
		}
		if _, err := s.Finish(ctx, f.myRun.ID, FinishedByClient, time.Time{}); err != nil || state() != "finished/client" {
			t.Fatalf("client finish: %v %s", err, state())
		}
		if ev := <-sub.C; ev.Type != events.RunFinished {
			t.Fatalf("client finish published %+v", ev)
		}
		// The summary task after the client's last results does not reopen it.
		s.updated(ctx, f.myRun.ID)
		<-sub.C
		if got := state(); got != "finished/client" {
			t.Fatalf("activity after the client finished: %s", got)
		}
		if row, _ := st.stateOf(ctx, f.theirRun.ID); row != nil {
			t.Fatalf("the other project's run got a state: %+v", row)
		}
		if _, err := s.Finish(ctx, f.theirRun.ID, FinishedByClient, time.Time{}); err != nil {
			t.Fatal(err)
		}
		select {
		case ev := <-sub.C:
			t.Fatalf("another project's event on this project's stream: %+v", ev)
		default:
		}
	})
}
