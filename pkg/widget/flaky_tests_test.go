package widget_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/flaky"
	"github.com/ibutsu-go/ibutsu/pkg/model"
)

func TestFlakyTestsWidget(t *testing.T) {
	bothDBs(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		T := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		other := uuid.New()
		if err := e.App.DB.Conn(ctx).Create(&model.Project{ID: other, Name: model.Ptr("other")}).Error; err != nil {
			t.Fatal(err)
		}
		row := func(project uuid.UUID, test, job string, score float64) *flaky.TestRow {
			r := &flaky.TestRow{ID: uuid.New(), ProjectID: project, TestID: test, Component: "api", Job: job, Score: score, FlipRate: score,
				Flips: 4, Runs: 6, FirstFlake: T, LastFlake: T.Add(time.Hour), DetectedAt: T, UpdatedAt: T}
			if err := e.App.DB.Conn(ctx).Create(r).Error; err != nil {
				t.Fatal(err)
			}
			return r
		}
		low := row(e.project, "t_low", "nightly", 0.25)
		high := row(e.project, "t_high", "", 0.9)
		row(other, "t_other", "nightly", 1)
		entry := func(r *flaky.TestRow, job string) string {
			return fmt.Sprintf(`{"id":%q,"project_id":%q,"test_id":%q,"component":"api","env":null,"job":%s,"score":%v,"flip_rate":%v,
				"flips":4,"retries":0,"runs":6,"first_flake":"2026-03-01T12:00:00Z","last_flake":"2026-03-01T13:00:00Z"}`,
				r.ID, r.ProjectID, r.TestID, job, r.Score, r.FlipRate)
		}
		both := `{"tests":[` + entry(high, "null") + `,` + entry(low, `"nightly"`) + `],"total":2}`
		// The member sees their project's tests only, with or without project.
		jsonEq(t, e.call("GET", "/api/widget/flaky-tests", nil, e.UserToken, 200), both)
		jsonEq(t, e.call("GET", "/api/widget/flaky-tests?project="+e.project.String(), nil, e.UserToken, 200), both)
		jsonEq(t, e.call("GET", "/api/widget/flaky-tests?project="+e.project.String()+"&limit=1", nil, e.UserToken, 200),
			`{"tests":[`+entry(high, "null")+`],"total":2}`)
		jsonEq(t, e.call("GET", "/api/widget/flaky-tests?job=nightly&component=api", nil, e.UserToken, 200),
			`{"tests":[`+entry(low, `"nightly"`)+`],"total":1}`)
		jsonEq(t, e.call("GET", "/api/widget/flaky-tests?env=prod", nil, e.UserToken, 200), `{"tests":[],"total":0}`)
		// Another project's tests: 403, nothing of them.
		e.call("GET", "/api/widget/flaky-tests?project="+other.String(), nil, e.UserToken, 403)
		e.call("GET", "/api/widget/flaky-tests?limit=0", nil, e.UserToken, 400)
		e.call("GET", "/api/widget/flaky-tests?limit=x", nil, e.UserToken, 400)
	})
}
