package webhook

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"

	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// outage is how long the receiver is down in TestReceiverOutage. With the
// test's backoff (20 ms doubling to 250 ms) two seconds are as many
// attempts as the default backoff (10 s doubling to 1 h) makes in about
// ten minutes; IBUTSU_WEBHOOK_OUTAGE sets another length.
func outage(t *testing.T) time.Duration {
	if v := os.Getenv("IBUTSU_WEBHOOK_OUTAGE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	return 2 * time.Second
}

// TestReceiverOutage runs deliveries through Redis (asynq) and PostgreSQL
// as production does: a receiver that is down for a while gets every
// event afterwards, in order per subscription, exactly once per
// idempotency key, although the worker is restarted during the outage and
// Redis loses every scheduled retry (the periodic sweep finds the
// deliveries in the database again).
func TestReceiverOutage(t *testing.T) {
	opt, err := queue.RedisConnOpt(testenv.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	d := testdb.Both(t)["postgres"]
	queueName := "webhook-test-" + uuid.NewString()[:8]
	reg := queue.NewRegistry()
	q := queue.NewRedisQueue(opt, reg, queueName)
	t.Cleanup(func() { _ = q.Close() })
	f := newFixture(t, d, q)
	f.svc.cfg.BackoffBase, f.svc.cfg.BackoffMax = 20*time.Millisecond, 250*time.Millisecond
	f.svc.Register(reg)

	startWorker := func() *queue.Servers {
		srv, mux := queue.NewServer(opt, reg, queueName, 4, 10*time.Second, quiet)
		if err := srv.Start(mux); err != nil {
			t.Fatal(err)
		}
		return srv
	}
	ctx := context.Background()
	rcvA, rcvB := newReceiver(t), newReceiver(t)
	rcvA.failStatus, rcvB.failStatus = 0, 503 // one drops connections, one answers 503
	subA := f.subscribe(t, f.mine, rcvA.URL, FormatJSON, EventImportDone, EventImportFailed)
	subB := f.subscribe(t, f.mine, rcvB.URL, FormatSlack, EventImportDone)
	rcvA.setDown(true)
	rcvB.setDown(true)

	var wantA, wantB []string
	raise := func(n int) {
		for i := 0; i < n; i++ {
			ev := ImportEvent{ImportID: uuid.New(), ProjectID: &f.mine, Filename: "junit.xml", Failed: i%3 == 2}
			if err := f.svc.ImportSettled(ctx, ev); err != nil {
				t.Fatal(err)
			}
			if ev.Failed {
				wantA = append(wantA, EventImportFailed+":"+ev.ImportID.String())
			} else {
				k := EventImportDone + ":" + ev.ImportID.String()
				wantA, wantB = append(wantA, k), append(wantB, k)
			}
		}
	}
	worker := startWorker()
	down := time.Now()
	raise(20)
	time.Sleep(outage(t) / 2)

	// Worker restart, and Redis forgets the scheduled retries.
	worker.Shutdown()
	insp := asynq.NewInspector(opt)
	defer func() { _ = insp.Close() }()
	// Deliveries run in their own lane, so their retries wait in its queue.
	lane := queue.LaneQueue(queueName, Lane)
	if _, err := insp.DeleteAllScheduledTasks(lane); err != nil {
		t.Fatal(err)
	}
	if _, err := insp.DeleteAllRetryTasks(lane); err != nil {
		t.Fatal(err)
	}
	raise(10) // queued while no worker runs
	worker = startWorker()
	defer worker.Shutdown()
	time.Sleep(time.Until(down.Add(outage(t))))
	rcvA.setDown(false)
	rcvB.setDown(false)

	deadline := time.Now().Add(2 * time.Minute)
	for {
		// The scheduler's periodic sweep, run here more often than its
		// once a minute.
		if _, err := f.svc.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		if len(rcvA.requests()) >= len(wantA) && len(rcvB.requests()) >= len(wantB) {
			time.Sleep(300 * time.Millisecond) // a duplicate would arrive now
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the outage: A got %d of %d, B got %d of %d", len(rcvA.requests()), len(wantA), len(rcvB.requests()), len(wantB))
		}
		time.Sleep(100 * time.Millisecond)
	}
	for name, c := range map[string]struct {
		rcv  *receiver
		want []string
		sub  *Subscription
	}{"A": {rcvA, wantA, subA}, "B": {rcvB, wantB, subB}} {
		got := c.rcv.requests()
		if len(got) != len(c.want) {
			t.Errorf("%s: %d requests, want %d (exactly once per key)", name, len(got), len(c.want))
		}
		for i := range min(len(got), len(c.want)) {
			if got[i].Key != c.want[i] {
				t.Errorf("%s: request %d has key %s, want %s (order)", name, i, got[i].Key, c.want[i])
			}
			if !got[i].Valid {
				t.Errorf("%s: request %d badly signed", name, i)
			}
		}
		attempts := 0
		for _, dl := range f.deliveries(t, c.sub.ID) {
			if dl.Status != StatusDelivered {
				t.Errorf("%s: delivery %s is %s", name, dl.EventID, dl.Status)
			}
			attempts += dl.Attempts
		}
		t.Logf("%s: %d events, %d attempts in all", name, len(c.want), attempts)
	}
}
