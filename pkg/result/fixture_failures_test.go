package result_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/result"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// failureProject is an owner's project with runs, the set-up of the tests
// and benchmarks that post many failures of one fingerprint spread over
// the runs (like cmd/bench's).
type failureProject struct {
	owner *model.User
	pid   uuid.UUID
	runs  []uuid.UUID
}

// seedFailureProject writes an active owner, a project called name that
// the owner belongs to, and n empty runs of it.
func seedFailureProject(tb testing.TB, d *db.DB, name string, n int) failureProject {
	tb.Helper()
	p := failureProject{owner: &model.User{ID: uuid.New(), Email: "owner@example.com", IsActive: true}, pid: uuid.New(), runs: make([]uuid.UUID, n)}
	testdb.Insert(tb, d, p.owner, &model.Project{ID: p.pid, Name: model.Ptr(name), OwnerID: &p.owner.ID},
		&model.UserProject{UserID: p.owner.ID, ProjectID: p.pid})
	for i := range p.runs {
		p.runs[i] = uuid.New()
		testdb.Insert(tb, d, &model.Run{ID: p.runs[i], ProjectID: &p.pid, Data: model.JSON{}, Summary: model.JSON{}})
	}
	return p
}

// failureMetadata is the metadata of failure i: the project, run i of the
// runs round the circle, and a traceback whose message differs every time
// but whose fingerprint does not.
func (p failureProject) failureMetadata(i int) map[string]any {
	return map[string]any{"project": p.pid.String(), "run": p.runs[i%len(p.runs)].String(),
		"short_tb": fmt.Sprintf("E   ConnectionError: request %s timed out\n\ntests/test_api.py:12: ConnectionError", uuid.NewString())}
}

// quietService is a result service without a run notifier whose log is
// discarded.
func quietService(d *db.DB, opts ...result.Option) *result.Service {
	return result.NewService(d, project.NewStore(d), nil, slog.New(slog.NewTextHandler(io.Discard, nil)), opts...)
}

// storedRender is what GET renders of the row that POST /result answered
// v for: the answer must equal it.
func storedRender(ctx context.Context, t *testing.T, svc *result.Service, v result.View) result.View {
	t.Helper()
	stored, err := svc.Get(ctx, uuid.MustParse(v.ID))
	if err != nil {
		t.Fatal(err)
	}
	want, err := svc.RenderOne(ctx, stored)
	if err != nil {
		t.Fatal(err)
	}
	return want
}
