package widget_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"sort"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/maintenance"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// counts decodes a result-aggregator answer into value → count ("<nil>"
// for a null value).
func counts(t *testing.T, b []byte) map[string]int64 {
	t.Helper()
	var items []struct {
		ID    *string `json:"_id"`
		Count int64   `json:"count"`
	}
	if err := json.Unmarshal(b, &items); err != nil {
		t.Fatalf("bad answer %s", b)
	}
	out := map[string]int64{}
	for _, it := range items {
		k := "<nil>"
		if it.ID != nil {
			k = *it.ID
		}
		out[k] = it.Count
	}
	return out
}

func sameCounts(t *testing.T, what string, got, want map[string]int64) {
	t.Helper()
	gb, _ := json.Marshal(got)
	wb, _ := json.Marshal(want)
	if string(gb) != string(wb) {
		t.Errorf("%s:\n got  %s\n want %s", what, gb, wb)
	}
}

// The result-aggregator's PostgreSQL fast path reads the trigger-maintained
// count table. Every way results change (single and multi-row inserts, the
// API's batched inserts, updates of counted and uncounted columns, moves
// between projects, deletes, compaction) must leave its answers equal to
// hand-computed counts and to the plain GROUP BY over results, including the
// part of the cutoff's own day on each side of the cutoff.
func TestResultAggregatorCountsStayExact(t *testing.T) {
	be := backendtest.New(t, backendtest.Options{})
	e := &env{Env: be, t: t, project: uuid.New()}
	ctx := context.Background()
	conn := be.App.DB.Conn(ctx)
	other := uuid.New()
	for _, p := range []*model.Project{{ID: e.project, Name: model.Ptr("counted")}, {ID: other, Name: model.Ptr("other")}} {
		if err := conn.Create(p).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := conn.Create(&model.UserProject{UserID: be.User.ID, ProjectID: e.project}).Error; err != nil {
		t.Fatal(err)
	}
	// The cutoff falls at noon two days ago, so results an hour either side
	// of it share its day: one is in the window, one is not.
	now := time.Now().UTC()
	cutoff := now.Truncate(24 * time.Hour).Add(-48*time.Hour + 12*time.Hour)
	days := fmt.Sprintf("%.7f", now.Sub(cutoff).Hours()/24)

	mk := func(project uuid.UUID, at time.Time, outcome, component, env string) *model.Result {
		r := &model.Result{ID: uuid.New(), ProjectID: &project, StartTime: at, Result: &outcome, TestID: ptr("t")}
		if component != "" {
			r.Component = &component
		}
		if env != "" {
			r.Env = &env
		}
		return r
	}
	single := []*model.Result{
		mk(e.project, cutoff.Add(-time.Hour), "passed", "api", "ci"),  // before the cutoff, same day: out
		mk(e.project, cutoff.Add(time.Hour), "failed", "api", "ci"),   // after the cutoff, same day: in
		mk(e.project, cutoff.Add(13*time.Hour), "passed", "ui", "ci"), // next day: in
		mk(e.project, now.Add(-time.Hour), "passed", "ui", ""),        // today, no env: in
		mk(e.project, now.Add(-5*24*time.Hour), "error", "api", "ci"), // long before: out
		mk(e.project, now.Add(48*time.Hour), "skipped", "", "prod"),   // in the future: in
		mk(other, now.Add(-time.Hour), "passed", "api", "ci"),         // another project: out
	}
	for _, r := range single {
		if err := conn.Create(r).Error; err != nil {
			t.Fatal(err)
		}
	}
	// One multi-row INSERT: the statement trigger counts all its rows.
	batch := []*model.Result{
		mk(e.project, cutoff.Add(2*time.Hour), "passed", "api", "prod"),
		mk(e.project, cutoff.Add(3*time.Hour), "passed", "api", "prod"),
		mk(e.project, now.Add(-2*time.Hour), "failed", "ui", "prod"),
	}
	if err := conn.Create(batch).Error; err != nil {
		t.Fatal(err)
	}
	// Through the API, as pytest-ibutsu posts.
	e.call("POST", "/api/result", map[string]any{"test_id": "t", "result": "xfailed", "metadata": map[string]any{"project": e.project.String(), "component": "ui", "env": "ci"}}, e.UserToken, 201)

	ask := func(group, filters string) map[string]int64 {
		t.Helper()
		q := url.Values{"group_field": {group}, "days": {days}, "project": {e.project.String()}}
		if filters != "" {
			q.Set("additional_filters", filters)
		}
		return counts(t, e.call("GET", "/api/widget/result-aggregator?"+q.Encode(), nil, e.UserToken, 200))
	}
	// test_id@y holds for every row here but is not a counted column, so it
	// sends the same question down the plain GROUP BY path.
	scan := func(group, filters string) map[string]int64 {
		t.Helper()
		if filters != "" {
			filters += ","
		}
		return ask(group, filters+"test_id@y")
	}
	check := func(stage string, byResult, byComponent, byEnv map[string]int64) {
		t.Helper()
		for _, c := range []struct {
			group, filters string
			want           map[string]int64
		}{{"result", "", byResult}, {"component", "", byComponent}, {"env", "", byEnv}} {
			got := ask(c.group, c.filters)
			sameCounts(t, stage+": by "+c.group, got, c.want)
			sameCounts(t, stage+": by "+c.group+" (plain GROUP BY)", scan(c.group, c.filters), c.want)
		}
		for _, f := range []string{"env=ci", "component=api,result!passed", "env*ci;prod"} {
			sameCounts(t, stage+": filtered "+f, ask("result", f), scan("result", f))
		}
	}
	check("inserted",
		map[string]int64{"passed": 4, "failed": 2, "skipped": 1, "xfailed": 1},
		map[string]int64{"api": 3, "ui": 4},
		map[string]int64{"ci": 3, "prod": 4})

	// The answer really comes from the count table: a row planted there
	// shows up (and is taken out again).
	if err := conn.Exec("INSERT INTO ibutsu_result_counts (project_id, day, result, component, env, n) VALUES (?, ?, 'planted', 'api', 'ci', 5)",
		e.project, now.Format(time.DateOnly)).Error; err != nil {
		t.Fatal(err)
	}
	if got := ask("result", ""); got["planted"] != 5 {
		t.Fatalf("planted count row not read: %v", got)
	}
	if err := conn.Exec("DELETE FROM ibutsu_result_counts WHERE result = 'planted'").Error; err != nil {
		t.Fatal(err)
	}

	// Updates: a counted column, the start time across the cutoff, the
	// project, and an uncounted column (which must add no count rows).
	var rowsBefore int64
	conn.Raw("SELECT count(*) FROM ibutsu_result_counts").Scan(&rowsBefore)
	if err := conn.Model(&model.Result{}).Where("id = ?", single[3].ID).Update("data", model.JSON{"classification": "bug"}).Error; err != nil {
		t.Fatal(err)
	}
	var rowsAfter int64
	conn.Raw("SELECT count(*) FROM ibutsu_result_counts").Scan(&rowsAfter)
	if rowsAfter != rowsBefore {
		t.Errorf("an update of uncounted columns added %d count rows", rowsAfter-rowsBefore)
	}
	if err := conn.Model(&model.Result{}).Where("id = ?", single[1].ID).Update("result", "passed").Error; err != nil {
		t.Fatal(err)
	}
	if err := conn.Model(&model.Result{}).Where("id = ?", single[0].ID).Update("start_time", cutoff.Add(30*time.Minute)).Error; err != nil {
		t.Fatal(err)
	}
	if err := conn.Model(&model.Result{}).Where("id = ?", batch[2].ID).Update("project_id", other).Error; err != nil {
		t.Fatal(err)
	}
	if err := conn.Delete(&model.Result{}, "id = ?", single[5].ID).Error; err != nil {
		t.Fatal(err)
	}
	wantResult := map[string]int64{"passed": 6, "xfailed": 1}
	wantComponent := map[string]int64{"api": 4, "ui": 3}
	wantEnv := map[string]int64{"ci": 4, "prod": 2}
	check("changed", wantResult, wantComponent, wantEnv)

	// Compaction folds the deltas into one row per group and changes no
	// answer; deltas for groups that net to zero disappear.
	svc := maintenance.NewService(be.App.DB, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	before, after, err := svc.CompactResultCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var groups int64
	conn.Raw(`SELECT count(*) FROM (SELECT DISTINCT project_id, start_time::date, result, component, env FROM results) g`).Scan(&groups)
	if after != groups || before <= after {
		t.Fatalf("compaction: %d rows before, %d after, want %d groups after", before, after, groups)
	}
	check("compacted", wantResult, wantComponent, wantEnv)

	// for_filter lists the values present in the window.
	var ids []string
	var items []struct {
		ID string `json:"_id"`
	}
	q := url.Values{"group_field": {"result"}, "days": {days}, "project": {e.project.String()}, "for_filter": {"true"}}
	if err := json.Unmarshal(e.call("GET", "/api/widget/result-aggregator?"+q.Encode(), nil, e.UserToken, 200), &items); err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	sort.Strings(ids)
	if fmt.Sprint(ids) != "[passed xfailed]" {
		t.Fatalf("for_filter values %v", ids)
	}

	// TRUNCATE empties the counts with the results.
	if err := conn.Exec("TRUNCATE results CASCADE").Error; err != nil {
		t.Fatal(err)
	}
	var left int64
	conn.Raw("SELECT count(*) FROM ibutsu_result_counts").Scan(&left)
	if left != 0 {
		t.Fatalf("%d count rows left after TRUNCATE results", left)
	}
}

func ptr[T any](v T) *T { return &v }

// Compactions racing concurrent writers (inserts, updates, deletes) never
// change a total: afterwards the counts equal a GROUP BY over results.
func TestResultCountsCompactionRacingWriters(t *testing.T) {
	be := backendtest.New(t, backendtest.Options{})
	ctx := context.Background()
	conn := be.App.DB.Conn(ctx)
	project := uuid.New()
	if err := conn.Create(&model.Project{ID: project, Name: model.Ptr("race")}).Error; err != nil {
		t.Fatal(err)
	}
	svc := maintenance.NewService(be.App.DB, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	outcomes := []string{"passed", "failed", "skipped"}
	stop := make(chan struct{})
	type compactions struct {
		n   int
		err error
	}
	compacted := make(chan compactions, 1)
	go func() {
		n := 0
		for {
			select {
			case <-stop:
				compacted <- compactions{n: n}
				return
			default:
			}
			if _, _, err := svc.CompactResultCounts(ctx); err != nil {
				compacted <- compactions{err: err}
				return
			}
			n++
		}
	}()
	errs := make(chan error, 4)
	for w := range 4 {
		go func() {
			for i := range 60 {
				outcome := outcomes[(w+i)%3]
				rows := []*model.Result{
					{ID: uuid.New(), ProjectID: &project, StartTime: time.Now().UTC().Add(-time.Duration(i) * time.Hour), Result: &outcome},
					{ID: uuid.New(), ProjectID: &project, StartTime: time.Now().UTC().Add(-time.Duration(i) * 7 * time.Hour), Result: &outcome},
				}
				if err := conn.Create(rows).Error; err != nil {
					errs <- err
					return
				}
				switch i % 3 {
				case 1:
					err := conn.Model(&model.Result{}).Where("id = ?", rows[0].ID).Update("result", "error").Error
					if err != nil {
						errs <- err
						return
					}
				case 2:
					if err := conn.Delete(&model.Result{}, "id = ?", rows[1].ID).Error; err != nil {
						errs <- err
						return
					}
				}
			}
			errs <- nil
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	if c := <-compacted; c.err != nil || c.n < 2 {
		t.Fatalf("%d compactions during the writes, error %v", c.n, c.err)
	}
	if _, _, err := svc.CompactResultCounts(ctx); err != nil {
		t.Fatal(err)
	}
	type group struct {
		Day    string
		Result string
		N      int64
	}
	var fromResults, fromCounts []group
	conn.Raw(`SELECT start_time::date::text AS day, result, count(*) AS n FROM results WHERE project_id = ? GROUP BY 1, 2 ORDER BY 1, 2`, project).Scan(&fromResults)
	conn.Raw(`SELECT day::text AS day, result, sum(n) AS n FROM ibutsu_result_counts WHERE project_id = ? GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2`, project).Scan(&fromCounts)
	if len(fromResults) == 0 || fmt.Sprint(fromResults) != fmt.Sprint(fromCounts) {
		t.Fatalf("counts differ from results:\n results %v\n counts  %v", fromResults, fromCounts)
	}
	var rows int64
	conn.Raw("SELECT count(*) FROM ibutsu_result_counts WHERE project_id = ?", project).Scan(&rows)
	if rows != int64(len(fromCounts)) {
		t.Fatalf("%d count rows after the last compaction, want one per group (%d)", rows, len(fromCounts))
	}
}
