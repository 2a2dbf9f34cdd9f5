package result_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/result"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// TestEditsOfAResultBeingDeleted: PUT /result and the bulk update write a
// result's fingerprint, classification and audit rows, which on PostgreSQL
// have no foreign key to it (migrations 00027, 00028), so each must hold
// the result's row before it reads it. An edit that comes while the
// result's DELETE is in flight (held, testdb.WhileHeld) waits for it, then
// answers 404, and leaves no triage row naming the deleted result (nor
// the result written again). Both edits change the traceback and the
// classification, so every triage writer of the edit runs.
func TestEditsOfAResultBeingDeleted(t *testing.T) {
	md := map[string]any{"short_tb": "E   KeyError: 'x'\n\ntests/test_y.py:2: KeyError", "classification": "environment_failure"}
	edits := map[string]func(svc *result.Service, u *model.User, id uuid.UUID) error{
		"PUT /result": func(svc *result.Service, u *model.User, id uuid.UUID) error {
			_, err := svc.Update(context.Background(), u, id, result.UpdateRequest{Metadata: md})
			return err
		},
		"bulk update": func(svc *result.Service, u *model.User, id uuid.UUID) error {
			_, err := svc.BulkUpdate(context.Background(), u, []uuid.UUID{id}, md)
			return err
		},
	}
	for name, edit := range edits {
		t.Run(name, func(t *testing.T) {
			testdb.Postgres(t, func(t *testing.T, d *db.DB) {
				ts := testdb.NewTenants(t, d)
				svc := quietService(d)
				defer svc.Close()
				run, res := uuid.New(), uuid.New()
				testdb.Insert(t, d, &model.Run{ID: run, ProjectID: &ts.Mine, Data: model.JSON{}, Summary: model.JSON{}},
					&model.Result{ID: res, ProjectID: &ts.Mine, RunID: &run, Result: model.Ptr("failed"), Params: model.JSON{},
						Data: model.JSON{"short_tb": "E   ValueError: bad\n\ntests/test_x.py:1: ValueError"}})
				deleting := func(ctx context.Context) error {
					return d.Conn(ctx).Exec("DELETE FROM results WHERE id = ?", res).Error
				}
				waited, err := testdb.WhileHeld(t, d, deleting, func() error { return edit(svc, ts.Member, res) })
				if !waited {
					t.Errorf("the edit did not wait for the delete in flight (%v)", err)
				}
				if e, ok := apperr.As(err); !errors.Is(err, result.ErrNotFound) && (!ok || e.Kind != apperr.KindNotFound) {
					t.Errorf("answer %v, want not found (404)", err)
				}
				if n := testdb.TriageOrphans(t, d); n != 0 {
					t.Fatalf("%d triage rows left naming a deleted result or fingerprint", n)
				}
				if n := testdb.Count(t, d, "results", "id = ?", res); n != 0 {
					t.Fatal("the edit wrote the deleted result again")
				}
			})
		})
	}
}
