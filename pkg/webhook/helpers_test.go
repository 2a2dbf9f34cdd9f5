package webhook

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

const secret = "0123456789abcdef-secret"

// received is one request a receiver got.
type received struct {
	Key, Event string
	Body       []byte
	Valid      bool
}

// receiver is a local webhook receiver that checks signatures and can be
// told to fail.
type receiver struct {
	*httptest.Server
	mu   sync.Mutex
	got  []received
	down bool
	// failStatus is answered while down (0: the connection is dropped).
	failStatus int
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{failStatus: http.StatusServiceUnavailable}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		down, status := r.down, r.failStatus
		r.mu.Unlock()
		if down {
			if status == 0 {
				hj, _ := w.(http.Hijacker)
				conn, _, _ := hj.Hijack()
				_ = conn.Close()
				return
			}
			w.WriteHeader(status)
			_, _ = w.Write([]byte("receiver is down"))
			return
		}
		ts, _ := strconv.ParseInt(req.Header.Get(HeaderTimestamp), 10, 64)
		valid := req.Header.Get(HeaderSignature) == Sign(secret, ts, body)
		r.mu.Lock()
		r.got = append(r.got, received{Key: req.Header.Get(HeaderIdempotency), Event: req.Header.Get(HeaderEvent), Body: body, Valid: valid})
		r.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) setDown(down bool) {
	r.mu.Lock()
	r.down = down
	r.mu.Unlock()
}

func (r *receiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// fixture: project mine (owner, member) and theirs (other owner).
type fixture struct {
	d                    *db.DB
	svc                  *Service
	owner, member, other *model.User
	admin                *model.User
	mine, theirs         uuid.UUID
}

func testConfig() config.Webhooks {
	return config.Webhooks{Allow: []string{"127.0.0.1/32"}, Timeout: 5 * time.Second, MaxResponseBytes: 1024,
		BackoffBase: 5 * time.Millisecond, BackoffMax: 40 * time.Millisecond, MaxAttempts: 1000}
}

func newFixture(t *testing.T, d *db.DB, q queue.Queue) *fixture {
	t.Helper()
	f := &fixture{d: d, mine: uuid.New(), theirs: uuid.New()}
	f.owner = &model.User{ID: uuid.New(), Email: "owner-" + uuid.NewString()[:8] + "@example.com", IsActive: true}
	f.member = &model.User{ID: uuid.New(), Email: "member-" + uuid.NewString()[:8] + "@example.com", IsActive: true}
	f.other = &model.User{ID: uuid.New(), Email: "other-" + uuid.NewString()[:8] + "@example.com", IsActive: true}
	f.admin = &model.User{ID: uuid.New(), Email: "admin-" + uuid.NewString()[:8] + "@example.com", IsActive: true, IsSuperadmin: true}
	testdb.Insert(t, d, f.owner, f.member, f.other, f.admin,
		&model.Project{ID: f.mine, Name: model.Ptr("mine"), Title: model.Ptr("My project"), OwnerID: &f.owner.ID},
		&model.Project{ID: f.theirs, Name: model.Ptr("theirs"), OwnerID: &f.other.ID},
		&model.UserProject{UserID: f.member.ID, ProjectID: f.mine}, &model.UserProject{UserID: f.owner.ID, ProjectID: f.mine},
		&model.UserProject{UserID: f.other.ID, ProjectID: f.theirs})
	svc, err := NewService(d, q, testConfig(), "http://ui.example", quiet)
	if err != nil {
		t.Fatal(err)
	}
	f.svc = svc
	return f
}

// subscribe creates a subscription of project p as its owner.
func (f *fixture) subscribe(t *testing.T, p uuid.UUID, url, format string, events ...string) *Subscription {
	t.Helper()
	u := f.owner
	if p == f.theirs {
		u = f.other
	}
	sub, err := f.svc.Create(context.Background(), u, p, Input{Name: model.Ptr("hook " + format), URL: &url, Secret: model.Ptr(secret),
		Events: events, Format: &format})
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

// drainAll drains until no delivery of the subscription is pending.
func (f *fixture) drainAll(t *testing.T, id uuid.UUID) {
	t.Helper()
	ctx := context.Background()
	for i := 0; ; i++ {
		if err := f.svc.Drain(ctx, id); err != nil {
			t.Fatal(err)
		}
		d, err := f.svc.store.nextPending(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if d == nil {
			return
		}
		if i > 10000 {
			t.Fatalf("still pending: %+v", d)
		}
		time.Sleep(time.Until(d.NextAttempt))
	}
}

func (f *fixture) deliveries(t *testing.T, id uuid.UUID) []Delivery {
	t.Helper()
	return testdb.Rows[Delivery](t, f.d, "seq", "webhook_id = ?", id)
}

func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return m
}
