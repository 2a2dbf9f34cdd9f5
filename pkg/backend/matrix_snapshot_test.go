package backend_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/quarantine"
	"github.com/ibutsu-go/ibutsu/pkg/webhook"
)

// snapshot is every row of the tenant-relevant tables, read by SQL, as
// canonical JSON by key ("runs/<id>"), with the owners each row belongs to
// ("proj:<id>", "global", "orphan", "user:<id>"). A result belongs to its
// project and to its run's owner; an artifact to its result's or run's
// owners; a widget config to its project and its dashboard's owner.
type snapshot struct {
	rows   map[string]string
	owners map[string][]string
	// members maps a user id to the projects they own or are a member of.
	members map[string]map[string]bool
}

// snap recomputes every run's summary first (the recomputation is
// idempotent and otherwise runs seconds later in the background), so the
// effect of a write on a run's summary, duration, env or source is seen
// at once and a late background task cannot change a later snapshot.
func (f *isoFixture) snap() *snapshot {
	f.T.Helper()
	ctx := context.Background()
	g := f.App.DB.Gorm
	var runIDs []uuid.UUID
	if err := g.Model(&model.Run{}).Pluck("id", &runIDs).Error; err != nil {
		f.T.Fatal(err)
	}
	for _, id := range runIDs {
		if err := f.App.Services.Summaries.Recompute(ctx, id); err != nil {
			f.T.Fatalf("recompute %s: %v", id, err)
		}
	}
	s := &snapshot{rows: map[string]string{}, owners: map[string][]string{}, members: map[string]map[string]bool{}}
	add := func(key string, row any, owners ...string) {
		b, err := json.Marshal(row)
		if err != nil {
			f.T.Fatal(err)
		}
		s.rows[key], s.owners[key] = string(b), owners
	}
	proj := func(p *uuid.UUID, none string) string {
		if p == nil {
			return none
		}
		return "proj:" + p.String()
	}
	member := func(u uuid.UUID, p string) {
		if s.members[u.String()] == nil {
			s.members[u.String()] = map[string]bool{}
		}
		s.members[u.String()]["proj:"+p] = true
	}
	// withParent is a row's owners: its own, and its parent's when the
	// parent is one of the rows loaded (a result's run, a widget's dashboard).
	withParent := func(own string, parent *uuid.UUID, parents map[uuid.UUID]string) []string {
		if parent != nil {
			if po, ok := parents[*parent]; ok {
				return []string{own, po}
			}
		}
		return []string{own}
	}
	eachRow(f, g, func(p model.Project) {
		add("projects/"+p.ID.String(), p, "proj:"+p.ID.String())
		if p.OwnerID != nil {
			member(*p.OwnerID, p.ID.String())
		}
	})
	eachRow(f, g, func(up model.UserProject) {
		add("users_projects/"+up.UserID.String()+"/"+up.ProjectID.String(), up, "proj:"+up.ProjectID.String())
		member(up.UserID, up.ProjectID.String())
	})
	eachRow(f, g, func(q quarantine.Entry) { add("ibutsu_quarantine/"+q.ID.String(), q, "proj:"+q.ProjectID.String()) })
	runOwner := map[uuid.UUID]string{}
	eachRow(f, g, func(r model.Run) {
		runOwner[r.ID] = proj(r.ProjectID, "orphan")
		add("runs/"+r.ID.String(), r, runOwner[r.ID])
	})
	resOwners := map[uuid.UUID][]string{}
	eachRow(f, g, func(r model.Result) {
		o := withParent(proj(r.ProjectID, "orphan"), r.RunID, runOwner)
		resOwners[r.ID] = o
		add("results/"+r.ID.String(), r, o...)
	})
	eachRow(f, g, func(a model.Artifact) {
		var o []string
		if a.ResultID != nil {
			o = append(o, resOwners[*a.ResultID]...)
		}
		if a.RunID != nil {
			o = append(o, runOwner[*a.RunID])
		}
		if len(o) == 0 {
			o = []string{"orphan"}
		}
		add("artifacts/"+a.ID.String(), a, o...)
	})
	dashOwner := map[uuid.UUID]string{}
	eachRow(f, g, func(d model.Dashboard) {
		dashOwner[d.ID] = proj(d.ProjectID, "global")
		add("dashboards/"+d.ID.String(), d, dashOwner[d.ID])
	})
	eachRow(f, g, func(w model.WidgetConfig) {
		add("widget_configs/"+w.ID.String(), w, withParent(proj(w.ProjectID, "global"), w.DashboardID, dashOwner)...)
	})
	eachRow(f, g, func(gr model.Group) { add("groups/"+gr.ID.String(), gr, "global") })
	eachRow(f, g, func(im model.Import) {
		o := "orphan"
		if p, ok := im.Data["project_id"].(string); ok && p != "" {
			o = "proj:" + p
		}
		add("imports/"+im.ID.String(), im, o)
	})
	eachRow(f, g, func(u model.User) { add("users/"+u.ID.String(), u, "user:"+u.ID.String()) })
	eachRow(f, g, func(h webhook.Subscription) {
		h.LeaseOwner, h.LeaseUntil = nil, nil // the sender's, changes in the background
		add("ibutsu_webhooks/"+h.ID.String(), h, "proj:"+h.ProjectID.String())
	})
	eachRow(f, g, func(tk model.Token) {
		o := "orphan"
		if tk.UserID != nil {
			o = "user:" + tk.UserID.String()
		}
		add("tokens/"+tk.ID.String(), tk, o)
	})
	return s
}

// eachRow reads every row of T's table and hands each to fn, in the
// database's order (the snapshot is keyed, so order does not matter).
func eachRow[T any](f *isoFixture, g *gorm.DB, fn func(T)) {
	f.T.Helper()
	var rows []T
	if err := g.Find(&rows).Error; err != nil {
		f.T.Fatal(err)
	}
	for _, r := range rows {
		fn(r)
	}
}

// restoreTables are the snapshot's tables in an order that satisfies
// their foreign keys when rows are put back (deletes run in reverse).
var restoreTables = []struct {
	name string
	row  func() any
}{
	{"users", func() any { return &model.User{} }},
	{"groups", func() any { return &model.Group{} }},
	{"projects", func() any { return &model.Project{} }},
	{"users_projects", func() any { return &model.UserProject{} }},
	{"ibutsu_webhooks", func() any { return &webhook.Subscription{} }},
	{"ibutsu_quarantine", func() any { return &quarantine.Entry{} }},
	{"runs", func() any { return &model.Run{} }},
	{"results", func() any { return &model.Result{} }},
	{"artifacts", func() any { return &model.Artifact{} }},
	{"dashboards", func() any { return &model.Dashboard{} }},
	{"widget_configs", func() any { return &model.WidgetConfig{} }},
	{"imports", func() any { return &model.Import{} }},
	{"tokens", func() any { return &model.Token{} }},
}

// restore puts the database back to the snapshot want (from the current
// state now): rows added since are deleted, changed or deleted rows are
// written back. Each case of a section then starts from the same state,
// so one wrongly accepted write cannot cascade into the next cases.
// Circular references (a project's default dashboard) are resolved by
// retrying the operations that failed until none is left.
func (f *isoFixture) restore(want, now *snapshot) {
	f.T.Helper()
	keys := changed(want, now)
	if len(keys) == 0 {
		return
	}
	var ops []func() error
	g := f.App.DB.Gorm
	// A project and its default dashboard point at each other: unhook
	// every changed project first (its wanted state is written back below).
	for _, k := range keys {
		if id, ok := strings.CutPrefix(k, "projects/"); ok {
			if _, exists := now.rows[k]; exists {
				if err := g.Model(&model.Project{}).Where("id = ?", id).Update("default_dashboard_id", nil).Error; err != nil {
					f.T.Fatal(err)
				}
			}
		}
	}
	for i := len(restoreTables) - 1; i >= 0; i-- {
		tb := restoreTables[i]
		for _, k := range keys {
			if _, ok := want.rows[k]; ok || !strings.HasPrefix(k, tb.name+"/") {
				continue
			}
			row := tb.row()
			if err := json.Unmarshal([]byte(now.rows[k]), row); err != nil {
				f.T.Fatal(err)
			}
			ops = append(ops, func() error { return g.Delete(row).Error })
		}
	}
	for _, tb := range restoreTables {
		for _, k := range keys {
			v, ok := want.rows[k]
			if !ok || !strings.HasPrefix(k, tb.name+"/") {
				continue
			}
			row := tb.row()
			if err := json.Unmarshal([]byte(v), row); err != nil {
				f.T.Fatal(err)
			}
			if _, existed := now.rows[k]; existed {
				ops = append(ops, func() error { return g.Save(row).Error })
			} else {
				ops = append(ops, func() error { return g.Create(row).Error })
			}
		}
	}
	for len(ops) > 0 {
		var failed []func() error
		var last error
		for _, op := range ops {
			if err := op(); err != nil {
				failed, last = append(failed, op), err
			}
		}
		if len(failed) == len(ops) {
			f.T.Fatalf("cannot restore the fixture: %v", last)
		}
		ops = failed
	}
	f.App.Services.Projects.InvalidateCaches()
	if still := changed(want, f.snap()); len(still) > 0 {
		f.T.Fatalf("fixture not restored: %s", f.describe(still))
	}
}

// invariants lists the rows that break the tenancy rule whatever the
// caller: a result's project is its run's project, a widget config's
// project is its dashboard's, and a project's default dashboard is one of
// its own.
func invariants(s *snapshot) []string {
	runs, dashes := map[string]*uuid.UUID{}, map[string]*uuid.UUID{}
	for k, v := range s.rows {
		switch {
		case strings.HasPrefix(k, "runs/"):
			var r model.Run
			_ = json.Unmarshal([]byte(v), &r)
			runs[r.ID.String()] = r.ProjectID
		case strings.HasPrefix(k, "dashboards/"):
			var d model.Dashboard
			_ = json.Unmarshal([]byte(v), &d)
			dashes[d.ID.String()] = d.ProjectID
		}
	}
	same := func(a, b *uuid.UUID) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }
	var bad []string
	for k, v := range s.rows {
		switch {
		case strings.HasPrefix(k, "results/"):
			var r model.Result
			_ = json.Unmarshal([]byte(v), &r)
			if p, ok := runs[fmt.Sprint(r.RunID)]; r.RunID != nil && ok && !same(p, r.ProjectID) {
				bad = append(bad, k+" (not its run's project)")
			}
		case strings.HasPrefix(k, "widget_configs/"):
			var w model.WidgetConfig
			_ = json.Unmarshal([]byte(v), &w)
			if p, ok := dashes[fmt.Sprint(w.DashboardID)]; w.DashboardID != nil && ok && !same(p, w.ProjectID) {
				bad = append(bad, k+" (not its dashboard's project)")
			}
		case strings.HasPrefix(k, "projects/"):
			var p model.Project
			_ = json.Unmarshal([]byte(v), &p)
			if d, ok := dashes[fmt.Sprint(p.DefaultDashboardID)]; p.DefaultDashboardID != nil && ok && !same(d, &p.ID) {
				bad = append(bad, k+" (default dashboard of another project)")
			}
		}
	}
	sort.Strings(bad)
	return bad
}

// changed lists the keys whose rows differ between two snapshots (added,
// removed or changed), sorted.
func changed(before, after *snapshot) []string {
	var out []string
	for k, v := range before.rows {
		if after.rows[k] != v {
			out = append(out, k)
		}
	}
	for k := range after.rows {
		if _, ok := before.rows[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// trespass lists the changed rows that belong to anything the caller may
// not write: a project the caller neither owns nor is a member of (before
// the request; a project the request created for the caller counts as
// theirs), a global or project-less row, or another user's account.
func trespass(before, after *snapshot, caller uuid.UUID) []string {
	mine := map[string]bool{"user:" + caller.String(): true}
	for p := range before.members[caller.String()] {
		mine[p] = true
	}
	for p := range after.members[caller.String()] {
		if _, existed := before.rows["projects/"+strings.TrimPrefix(p, "proj:")]; !existed {
			mine[p] = true
		}
	}
	var out []string
	for _, k := range changed(before, after) {
		for _, o := range append(append([]string{}, before.owners[k]...), after.owners[k]...) {
			if !mine[o] {
				out = append(out, k+" ("+o+")")
				break
			}
		}
	}
	return out
}

// describe names the owners of a trespass list in fixture terms.
func (f *isoFixture) describe(keys []string) string {
	names := map[string]string{}
	for k, v := range f.ids {
		if len(v) == 36 { // ids only: names and e-mails are too short to replace safely
			names[v] = k
		}
	}
	var out []string
	for _, k := range keys {
		for v, n := range names {
			k = strings.ReplaceAll(k, v, n)
		}
		out = append(out, k)
	}
	return strings.Join(out, ", ")
}
