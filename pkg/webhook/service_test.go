package webhook

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/jsontest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// TestSubscriptionCRUD: the owner and a superadmin manage a project's
// subscriptions; the secret is kept and never shown; bad input is a 400.
func TestSubscriptionCRUD(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d, nil)
		sub := f.subscribe(t, f.mine, "https://hooks.example/a", FormatSlack, EventRunFinished, EventImportFailed, EventRunFinished)
		if sub.Events != "run.finished,import.failed" || sub.Format != FormatSlack || !sub.Enabled {
			t.Fatalf("created %+v", sub)
		}
		v := NewView(sub)
		if !v.HasSecret || strings.Contains(jsontest.String(t, v), secret) {
			t.Fatalf("view shows the secret or hides that there is one: %s", jsontest.String(t, v))
		}
		up, err := f.svc.Update(ctx, f.admin, f.mine, sub.ID, Input{Enabled: model.Ptr(false), Name: model.Ptr("renamed")})
		if err != nil || up.Enabled || up.Name != "renamed" || up.Secret != secret || up.URL != sub.URL {
			t.Fatalf("update: %+v %v", up, err)
		}
		subs, err := f.svc.List(ctx, f.owner, f.mine)
		if err != nil || len(subs) != 1 {
			t.Fatalf("list %v %v", subs, err)
		}
		for name, in := range map[string]Input{
			"no url":        {Name: model.Ptr("x"), Secret: model.Ptr(secret), Events: []string{EventRunFinished}},
			"ftp":           {Name: model.Ptr("x"), URL: model.Ptr("ftp://h.example/"), Secret: model.Ptr(secret), Events: []string{EventRunFinished}},
			"short secret":  {Name: model.Ptr("x"), URL: model.Ptr("https://h.example/"), Secret: model.Ptr("abc"), Events: []string{EventRunFinished}},
			"unknown event": {Name: model.Ptr("x"), URL: model.Ptr("https://h.example/"), Secret: model.Ptr(secret), Events: []string{"run.exploded"}},
			"no events":     {Name: model.Ptr("x"), URL: model.Ptr("https://h.example/"), Secret: model.Ptr(secret), Events: []string{}},
			"bad format":    {Name: model.Ptr("x"), URL: model.Ptr("https://h.example/"), Secret: model.Ptr(secret), Events: []string{EventRunFinished}, Format: model.Ptr("xml")},
			"private ip":    {Name: model.Ptr("x"), URL: model.Ptr("http://10.1.2.3/hook"), Secret: model.Ptr(secret), Events: []string{EventRunFinished}},
			"ipv6 loopback": {Name: model.Ptr("x"), URL: model.Ptr("http://[::1]:8080/hook"), Secret: model.Ptr(secret), Events: []string{EventRunFinished}},
			"metadata":      {Name: model.Ptr("x"), URL: model.Ptr("http://169.254.169.254/latest"), Secret: model.Ptr(secret), Events: []string{EventRunFinished}},
		} {
			if _, err := f.svc.Create(ctx, f.owner, f.mine, in); apperr.KindOf(err) != apperr.KindInvalid {
				t.Errorf("%s: %v, want a 400", name, err)
			}
		}
		if n := testdb.Count(t, d, "ibutsu_webhooks", "project_id = ?", f.mine); n != 1 {
			t.Errorf("%d subscriptions after refused creates", n)
		}
		if err := f.svc.Delete(ctx, f.owner, f.mine, sub.ID); err != nil {
			t.Fatal(err)
		}
		if n := testdb.Count(t, d, "ibutsu_webhooks", "id = ?", sub.ID); n != 0 {
			t.Errorf("deleted subscription still there")
		}
	})
}

// TestForeignIDs: every write path with another project's ids, or by a
// member who does not own the project, changes nothing.
func TestForeignIDs(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d, nil)
		mine := f.subscribe(t, f.mine, "https://hooks.example/mine", FormatJSON, EventRunFinished)
		theirs := f.subscribe(t, f.theirs, "https://hooks.example/theirs", FormatJSON, EventRunFinished)
		in := Input{Name: model.Ptr("x"), URL: model.Ptr("https://evil.example/"), Secret: model.Ptr("ffffffffffffffffffff"), Events: []string{EventImportDone}}
		checks := []struct {
			name string
			want apperr.Kind
			fn   func() error
		}{
			{"create in their project", apperr.KindForbidden, func() error { _, err := f.svc.Create(ctx, f.owner, f.theirs, in); return err }},
			{"create as a member", apperr.KindForbidden, func() error { _, err := f.svc.Create(ctx, f.member, f.mine, in); return err }},
			{"update theirs through my project", apperr.KindNotFound, func() error { _, err := f.svc.Update(ctx, f.owner, f.mine, theirs.ID, in); return err }},
			{"update theirs through their project", apperr.KindForbidden, func() error { _, err := f.svc.Update(ctx, f.owner, f.theirs, theirs.ID, in); return err }},
			{"update as a member", apperr.KindForbidden, func() error { _, err := f.svc.Update(ctx, f.member, f.mine, mine.ID, in); return err }},
			{"delete theirs through my project", apperr.KindNotFound, func() error { return f.svc.Delete(ctx, f.owner, f.mine, theirs.ID) }},
			{"delete as a member", apperr.KindForbidden, func() error { return f.svc.Delete(ctx, f.member, f.mine, mine.ID) }},
			{"test theirs through my project", apperr.KindNotFound, func() error { _, err := f.svc.SendTest(ctx, f.owner, f.mine, theirs.ID); return err }},
			{"test as an outsider", apperr.KindForbidden, func() error { _, err := f.svc.SendTest(ctx, f.other, f.mine, mine.ID); return err }},
			{"log of theirs", apperr.KindNotFound, func() error { _, err := f.svc.Deliveries(ctx, f.owner, f.mine, theirs.ID); return err }},
			{"read as a member", apperr.KindForbidden, func() error { _, err := f.svc.Get(ctx, f.member, f.mine, mine.ID); return err }},
			{"unknown project", apperr.KindNotFound, func() error { _, err := f.svc.List(ctx, f.owner, uuid.New()); return err }},
		}
		for _, c := range checks {
			if err := c.fn(); apperr.KindOf(err) != c.want {
				t.Errorf("%s: %v, want %v", c.name, err, c.want)
			}
		}
		for _, s := range []*Subscription{mine, theirs} {
			got := testdb.Reload[Subscription](t, d, s.ID)
			if got.URL != s.URL || got.Secret != s.Secret || got.Events != s.Events || got.ProjectID != s.ProjectID || got.Name != s.Name {
				t.Errorf("subscription changed: %+v, was %+v", got, s)
			}
		}
		if n := testdb.Count(t, d, "ibutsu_webhooks", "1 = 1"); n != 2 {
			t.Errorf("%d subscriptions, want 2", n)
		}
		if n := testdb.Count(t, d, "ibutsu_webhook_deliveries", "1 = 1"); n != 0 {
			t.Errorf("%d deliveries queued by refused calls", n)
		}
	})
}

// TestDeliverySignedInOrder: a test event and run events reach a local
// (allowlisted) receiver signed, in order, once each, after the receiver
// failed for a while; the log shows the attempts.
func TestDeliverySignedInOrder(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d, nil)
		rcv := newReceiver(t)
		sub := f.subscribe(t, f.mine, rcv.URL+"/hook", FormatJSON, EventImportDone, EventImportFailed)
		other := f.subscribe(t, f.mine, rcv.URL+"/other", FormatJSON, EventRunFinished) // wants none of these
		rcv.setDown(true)
		if _, err := f.svc.SendTest(ctx, f.owner, f.mine, sub.ID); err != nil {
			t.Fatal(err)
		}
		if n, err := f.svc.Sweep(ctx); err != nil || n != 1 {
			t.Fatalf("sweep found %d subscriptions with due deliveries, want 1: %v", n, err)
		}
		var keys []string
		for i := 0; i < 5; i++ {
			ev := ImportEvent{ImportID: uuid.New(), ProjectID: &f.mine, Filename: "junit.xml", Failed: i%2 == 1, Error: "bad"}
			if err := f.svc.ImportSettled(ctx, ev); err != nil {
				t.Fatal(err)
			}
			// raised twice (a retried task): queued once
			if err := f.svc.ImportSettled(ctx, ev); err != nil {
				t.Fatal(err)
			}
			typ := EventImportDone
			if ev.Failed {
				typ = EventImportFailed
			}
			keys = append(keys, typ+":"+ev.ImportID.String())
		}
		for i := 0; i < 3; i++ { // three failed attempts at the first delivery
			if err := f.svc.Drain(ctx, sub.ID); err != nil {
				t.Fatal(err)
			}
			time.Sleep(50 * time.Millisecond)
		}
		ds := f.deliveries(t, sub.ID)
		if len(ds) != 6 || ds[0].Attempts < 2 || ds[0].Status != StatusPending || ds[0].ResponseCode == nil || *ds[0].ResponseCode != 503 ||
			ds[0].LastError == nil || !strings.Contains(*ds[0].LastError, "receiver is down") || ds[1].Attempts != 0 {
			t.Fatalf("while down: %+v", ds)
		}
		rcv.setDown(false)
		f.drainAll(t, sub.ID)
		got := rcv.requests()
		if len(got) != 6 {
			t.Fatalf("%d requests, want 6", len(got))
		}
		if got[0].Event != EventTest || !strings.HasPrefix(got[0].Key, EventTest+":") {
			t.Errorf("first request %+v", got[0])
		}
		for i, r := range got {
			if !r.Valid {
				t.Errorf("request %d: bad signature", i)
			}
			if i > 0 && r.Key != keys[i-1] {
				t.Errorf("request %d: key %s, want %s (order)", i, r.Key, keys[i-1])
			}
		}
		body := decode(t, got[2].Body)
		imp, _ := body["import"].(map[string]any)
		if body["type"] != EventImportFailed || imp["status"] != "error" || imp["error"] != "bad" || body["id"] != keys[1] {
			t.Errorf("import.failed body %v", body)
		}
		for _, dl := range f.deliveries(t, sub.ID) {
			if dl.Status != StatusDelivered || dl.Delivered == nil || dl.ResponseCode == nil || *dl.ResponseCode != 204 || dl.LastError != nil {
				t.Errorf("delivery %+v", dl)
			}
		}
		if n := len(f.deliveries(t, other.ID)); n != 0 {
			t.Errorf("%d deliveries for a subscription without those events", n)
		}
		log, err := f.svc.Deliveries(ctx, f.owner, f.mine, sub.ID)
		if err != nil || len(log) != 6 || log[0].EventID != keys[4] {
			t.Errorf("log %v %v", log, err)
		}
	})
}

// TestGivesUpAfterMaxAttempts: a delivery that keeps failing ends failed
// and the next one goes out.
func TestGivesUpAfterMaxAttempts(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d, nil)
		f.svc.cfg.MaxAttempts = 2
		rcv := newReceiver(t)
		sub := f.subscribe(t, f.mine, rcv.URL, FormatJSON, EventImportDone)
		rcv.setDown(true)
		rcv.failStatus = 0 // connection dropped: no response code
		first := ImportEvent{ImportID: uuid.New(), ProjectID: &f.mine}
		if err := f.svc.ImportSettled(ctx, first); err != nil {
			t.Fatal(err)
		}
		f.drainAll(t, sub.ID)
		rcv.setDown(false)
		if err := f.svc.ImportSettled(ctx, ImportEvent{ImportID: uuid.New(), ProjectID: &f.mine}); err != nil {
			t.Fatal(err)
		}
		f.drainAll(t, sub.ID)
		ds := f.deliveries(t, sub.ID)
		if len(ds) != 2 || ds[0].Status != StatusFailed || ds[0].Attempts != 2 || ds[0].ResponseCode != nil || ds[1].Status != StatusDelivered {
			t.Fatalf("deliveries %+v", ds)
		}
	})
}

// TestOutboundSafety: names and addresses resolving to loopback, private
// or link-local ranges are refused at dial time without the allowlist.
func TestOutboundSafety(t *testing.T) {
	g, err := newGuard(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{"127.0.0.1", "::1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "fe80::1", "fc00::1",
		"0.0.0.0", "100.64.0.1", "::ffff:127.0.0.1", "224.0.0.1"} {
		if err := g.check(netip.MustParseAddr(a)); !errors.Is(err, errRefused) {
			t.Errorf("%s allowed", a)
		}
	}
	for _, a := range []string{"8.8.8.8", "2606:4700::1111"} {
		if err := g.check(netip.MustParseAddr(a)); err != nil {
			t.Errorf("%s refused: %v", a, err)
		}
	}
	if _, err := newGuard([]string{"not-a-cidr"}); err == nil {
		t.Error("bad allowlist accepted")
	}
	allow, _ := newGuard([]string{"10.1.0.0/16", "127.0.0.1"})
	if allow.check(netip.MustParseAddr("10.1.2.3")) != nil || allow.check(netip.MustParseAddr("127.0.0.1")) != nil ||
		allow.check(netip.MustParseAddr("10.2.0.1")) == nil {
		t.Error("allowlist not applied")
	}

	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d, nil)
		rcv := newReceiver(t)
		sub := f.subscribe(t, f.mine, rcv.URL, FormatJSON, EventImportDone)
		// Without the allowlist, a name that resolves to loopback (saved
		// through the store, as if its DNS answer had changed since) is
		// refused when dialled.
		f.svc, _ = NewService(d, nil, config.Webhooks{Timeout: time.Second, MaxAttempts: 1}, "", quiet)
		port := rcv.URL[strings.LastIndex(rcv.URL, ":"):]
		if err := d.Conn(ctx).Model(&Subscription{}).Where("id = ?", sub.ID).Update("url", "http://localhost"+port+"/").Error; err != nil {
			t.Fatal(err)
		}
		if err := f.svc.ImportSettled(ctx, ImportEvent{ImportID: uuid.New(), ProjectID: &f.mine}); err != nil {
			t.Fatal(err)
		}
		f.drainAll(t, sub.ID)
		ds := f.deliveries(t, sub.ID)
		if len(ds) != 1 || ds[0].Status != StatusFailed || ds[0].LastError == nil || !strings.Contains(*ds[0].LastError, "address refused") {
			t.Fatalf("delivery %+v", ds)
		}
		if len(rcv.requests()) != 0 {
			t.Error("the receiver was reached")
		}
	})
}

// TestDisabledHoldsEvents: a disabled subscription gets no new events,
// keeps those queued before pending but still sends a test event; enabling
// it sends the rest.
func TestDisabledHoldsEvents(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d, nil)
		rcv := newReceiver(t)
		sub := f.subscribe(t, f.mine, rcv.URL, FormatTeams, EventImportDone)
		if err := f.svc.ImportSettled(ctx, ImportEvent{ImportID: uuid.New(), ProjectID: &f.mine}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Update(ctx, f.owner, f.mine, sub.ID, Input{Enabled: model.Ptr(false)}); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.ImportSettled(ctx, ImportEvent{ImportID: uuid.New(), ProjectID: &f.mine}); err != nil { // not queued
			t.Fatal(err)
		}
		if _, err := f.svc.SendTest(ctx, f.owner, f.mine, sub.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Drain(ctx, sub.ID); err != nil {
			t.Fatal(err)
		}
		got := rcv.requests()
		if len(got) != 1 || got[0].Event != EventTest {
			t.Fatalf("while disabled: %+v", got)
		}
		if teams := decode(t, got[0].Body); teams["type"] != "message" {
			t.Errorf("teams body %v", teams)
		}
		if _, err := f.svc.Update(ctx, f.owner, f.mine, sub.ID, Input{Enabled: model.Ptr(true)}); err != nil {
			t.Fatal(err)
		}
		f.drainAll(t, sub.ID)
		if got := rcv.requests(); len(got) != 2 || got[1].Event != EventImportDone {
			t.Fatalf("after enabling: %+v", got)
		}
	})
}

// TestSenderLimits: redirects are not followed, a huge answer is read only
// up to the cap, a slow receiver times out.
func TestSenderLimits(t *testing.T) {
	var redirected atomic.Bool
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { redirected.Store(true) }))
	defer target.Close()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/redirect":
			http.Redirect(w, r, target.URL, http.StatusFound)
		case "/huge":
			w.WriteHeader(http.StatusInternalServerError)
			chunk := bytes.Repeat([]byte("x"), 1<<16)
			for i := 0; i < 1<<10; i++ { // 64 MiB unless the client stops reading
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		case "/slow":
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}
	}))
	defer srv.Close()
	defer close(release)
	g, _ := newGuard([]string{"127.0.0.1/32"})
	s := newSender(g, 300*time.Millisecond, 1024)
	ctx := context.Background()
	out := s.send(ctx, srv.URL+"/redirect", secret, EventTest, "k1", []byte(`{}`))
	if out.ok() || out.code != http.StatusFound || redirected.Load() {
		t.Errorf("redirect: %+v, followed %v", out, redirected.Load())
	}
	out = s.send(ctx, srv.URL+"/huge", secret, EventTest, "k2", []byte(`{}`))
	if out.ok() || out.code != http.StatusInternalServerError || len(out.err) > 600 {
		t.Errorf("huge answer: code %d, error of %d bytes", out.code, len(out.err))
	}
	out = s.send(ctx, srv.URL+"/slow", secret, EventTest, "k3", []byte(`{}`))
	if out.ok() || out.code != 0 || !strings.Contains(out.err, "Timeout") && !strings.Contains(out.err, "deadline") {
		t.Errorf("slow receiver: %+v", out)
	}
}

// An owner renaming a webhook while an administrator disables it (held
// uncommitted, testdb.WhileHeld) keeps it disabled: the rename writes the
// row as it is after the administrator's commit, not the copy read before.
func TestUpdateKeepsADisableCommittedMeanwhile(t *testing.T) {
	testdb.Postgres(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d, nil)
		sub := f.subscribe(t, f.mine, "https://hooks.example/a", FormatJSON, EventRunFinished)
		disable := func(ctx context.Context) error {
			return d.Conn(ctx).Model(&Subscription{}).Where("id = ?", sub.ID).Update("enabled", false).Error
		}
		waited, err := testdb.WhileHeld(t, d, disable, func() error {
			_, err := f.svc.Update(ctx, f.owner, f.mine, sub.ID, Input{Name: model.Ptr("renamed")})
			return err
		})
		if err != nil || !waited {
			t.Fatalf("rename: %v (waited for the disable: %v)", err, waited)
		}
		got, err := f.svc.Get(ctx, f.owner, f.mine, sub.ID)
		if err != nil || got.Enabled || got.Name != "renamed" {
			t.Fatalf("after both: %+v %v, want renamed and still disabled", got, err)
		}
	})
}
