package admin

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// Two superadmins each setting one retention field of one project at the
// same moment keep both fields: each partial PUT merges into the overrides
// as they are under the project's row lock, in every round.
func TestProjectServiceRetentionUpdatesTogetherKeepBothFields(t *testing.T) {
	ctx := context.Background()
	testdb.Postgres(t, func(t *testing.T, d *db.DB) {
		projects := project.NewStore(d)
		svc := NewProjectService(NewStore(d), projects)
		testdb.WarmPool(t, d, 4)
		fields := []string{"run_days", "result_days"}
		for round := range 10 {
			p := &model.Project{ID: uuid.New(), Name: model.Ptr(fmt.Sprintf("p%d", round))}
			testdb.Insert(t, d, p)
			errs := testdb.Together(2, func(i int) error {
				body := map[string]any{fields[i]: float64(i + 1)}
				req := ProjectUpdateRequest{Retention: model.Nullable[map[string]any]{Set: true, Value: &body}}
				return svc.Update(ctx, testdb.Reload[model.Project](t, d, p.ID), req)
			})
			for i, err := range errs {
				if err != nil {
					t.Fatalf("round %d, admin %d: %v", round, i, err)
				}
			}
			r, err := projects.Retention(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if r.RunDays == nil || *r.RunDays != 1 || r.ResultDays == nil || *r.ResultDays != 2 {
				t.Fatalf("round %d: run_days %s, result_days %s; want 1 and 2", round, days(r.RunDays), days(r.ResultDays))
			}
		}
	})
}

// days prints an optional override.
func days(n *int) string {
	if n == nil {
		return "null"
	}
	return fmt.Sprint(*n)
}
