package maintenance_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

func setRetention(t *testing.T, e *backendtest.Env, p uuid.UUID, imp, art, res, run any) {
	t.Helper()
	err := e.App.DB.Gorm.Exec("INSERT INTO ibutsu_project_retention (project_id, import_days, artifact_days, result_days, run_days) VALUES (?, ?, ?, ?, ?)",
		p, imp, art, res, run).Error
	if err != nil {
		t.Fatal(err)
	}
}

// TestPruneRetentionPerProject: project A overrides with short retention,
// project B keeps everything (0), project C has no row (the defaults), and
// a pinned run is never pruned, nor its results and artifacts.
func TestPruneRetentionPerProject(t *testing.T) {
	dialects(t, func(t *testing.T, e *backendtest.Env) {
		ctx := context.Background()
		up := e.App.Services.Upkeep
		pa := &model.Project{ID: uuid.New(), Name: model.Ptr("short")}
		pb := &model.Project{ID: uuid.New(), Name: model.Ptr("keep")}
		pc := &model.Project{ID: uuid.New(), Name: model.Ptr("default")}
		create(t, e, pa, pb, pc)
		setRetention(t, e, pa.ID, 2, 20, 30, 40)
		setRetention(t, e, pb.ID, 0, 0, 0, 0)
		setRetention(t, e, pc.ID, nil, nil, nil, nil) // all NULL = defaults

		type set struct{ run, pinnedRun, res, pinnedRes, art, pinnedArt, runArt, imp uuid.UUID }
		seed := func(p *model.Project, age int) set {
			var s set
			run := &model.Run{ID: uuid.New(), ProjectID: &p.ID, StartTime: ago(age), Created: ago(age)}
			pinned := &model.Run{ID: uuid.New(), ProjectID: &p.ID, StartTime: ago(age), Created: ago(age), Data: model.JSON{"pinned": true}}
			other := &model.Run{ID: uuid.New(), ProjectID: &p.ID, StartTime: ago(1), Created: ago(1), Data: model.JSON{"pinned": false}}
			res := &model.Result{ID: uuid.New(), ProjectID: &p.ID, RunID: &other.ID, StartTime: ago(age)}
			pres := &model.Result{ID: uuid.New(), ProjectID: &p.ID, RunID: &pinned.ID, StartTime: ago(age)}
			young := &model.Result{ID: uuid.New(), ProjectID: &p.ID, RunID: &other.ID, StartTime: ago(1)}
			art := &model.Artifact{ID: uuid.New(), ResultID: &young.ID, Filename: model.Ptr("a"), UploadDate: ago(age)}
			part := &model.Artifact{ID: uuid.New(), ResultID: &pres.ID, Filename: model.Ptr("p"), UploadDate: ago(age)}
			rart := &model.Artifact{ID: uuid.New(), RunID: &pinned.ID, Filename: model.Ptr("r"), UploadDate: ago(age)}
			imp := &model.Import{ID: uuid.New(), Created: ago(age), Data: model.JSON{"project_id": p.ID.String()}}
			create(t, e, run, pinned, other, res, pres, young, art, part, rart, imp)
			s = set{run.ID, pinned.ID, res.ID, pres.ID, art.ID, part.ID, rart.ID, imp.ID}
			return s
		}
		// 45 days: older than every override of A, younger than every default.
		a := seed(pa, 45)
		// 400 days: older than every default.
		b := seed(pb, 400)
		c := seed(pc, 400)
		// No project at all: the defaults too.
		orphanRun := &model.Run{ID: uuid.New(), StartTime: ago(400), Created: ago(400)}
		orphanImp := &model.Import{ID: uuid.New(), Created: ago(8)}
		create(t, e, orphanRun, orphanImp)

		for _, step := range []struct {
			fn  func(context.Context, int) (string, error)
			arg int
		}{{up.PruneImports, 7}, {up.PruneFiles, 3}, {up.PruneResults, 5}, {up.PruneRuns, 12}} {
			if _, err := step.fn(ctx, step.arg); err != nil {
				t.Fatal(err)
			}
		}
		check := func(name string, s set, gone bool) {
			t.Helper()
			for table, id := range map[string]uuid.UUID{"runs": s.run, "results": s.res, "artifacts": s.art, "imports": s.imp} {
				if exists(t, e, table, id) == gone {
					t.Errorf("%s: %s %s: gone=%v expected", name, table, id, gone)
				}
			}
			for table, id := range map[string]uuid.UUID{"runs": s.pinnedRun, "results": s.pinnedRes, "artifacts": s.pinnedArt} {
				if !exists(t, e, table, id) {
					t.Errorf("%s: pinned %s %s pruned", name, table, id)
				}
			}
			if !exists(t, e, "artifacts", s.runArt) {
				t.Errorf("%s: the pinned run's artifact was pruned", name)
			}
		}
		check("override", a, true)
		check("keep", b, false)
		check("defaults", c, true)
		if exists(t, e, "runs", orphanRun.ID) || exists(t, e, "imports", orphanImp.ID) {
			t.Error("rows of no project must follow the defaults")
		}
	})
}

// TestPruneOverrideWithRefusedDefault: a refused default (months too small)
// skips the default but still applies the project overrides.
func TestPruneOverrideWithRefusedDefault(t *testing.T) {
	dialects(t, func(t *testing.T, e *backendtest.Env) {
		p := &model.Project{ID: uuid.New(), Name: model.Ptr("p")}
		create(t, e, p)
		setRetention(t, e, p.ID, nil, nil, nil, 30)
		old := &model.Run{ID: uuid.New(), ProjectID: &p.ID, StartTime: ago(40), Created: ago(40)}
		other := &model.Run{ID: uuid.New(), StartTime: ago(400), Created: ago(400)}
		create(t, e, old, other)
		got, err := e.App.Services.Upkeep.PruneRuns(context.Background(), 9)
		if err != nil || got != "Skipped: months parameter (9) must be >= 10; deleted 1 runs by project retention" {
			t.Fatalf("%q %v", got, err)
		}
		if exists(t, e, "runs", old.ID) || !exists(t, e, "runs", other.ID) {
			t.Error("override not applied or refused default applied")
		}
	})
}
