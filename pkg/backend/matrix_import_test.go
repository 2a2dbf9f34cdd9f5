package backend_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/jsontest"
)

// importFields are the places an imported file (or its form) names a
// project, a run or a result. Every one needs a row in importCases;
// TestMatrixImports fails for a field without one.
var importFields = []string{
	"form project",
	"form metadata.project",
	"junit properties project",
	"junit properties project_id",
	"junit testcase project_id",
	"junit file name (run id)",
	"archive run.json id",
	"archive run directory (run id)",
	"archive run.json metadata.project",
	"archive run.json project_id",
	"archive result directory (result id)",
}

// icase is an import by P's member that names something of Q: it must end
// in `error` (or be refused on upload) and write nothing anywhere.
type icase struct {
	name, field string
	filename    string
	form        map[string]string
	file        func(t *testing.T, f *isoFixture) []byte
	// names is the placeholder of the id the error message must name ("" for none).
	names string
	// formMayWin: the form names P and the file names Q as a project (not
	// an existing row): the import may instead succeed with the form's
	// project winning (upstream's precedence), writing only into P.
	formMayWin bool
}

func junitFile(props map[string]string, caseProps ...string) func(*testing.T, *isoFixture) []byte {
	return func(t *testing.T, f *isoFixture) []byte {
		p := map[string]string{}
		for k, v := range props {
			p[k] = f.expand(v)
		}
		cp := make([]string, len(caseProps))
		for i, v := range caseProps {
			cp[i] = f.expand(v)
		}
		return junitXML("imported", p, cp...)
	}
}

// archiveFile builds an archive of run dir (a placeholder or "new") with
// run.json (nil: none) and one result per result dir.
func archiveFile(runDir string, runJSON map[string]any, resultDirs ...string) func(*testing.T, *isoFixture) []byte {
	return func(t *testing.T, f *isoFixture) []byte {
		run := f.expand(runDir)
		var files [][2]string
		if runJSON != nil {
			rj := f.expandAny(runJSON).(map[string]any)
			if rj["id"] == "new" {
				rj["id"] = run
			}
			files = append(files, [2]string{run + "/run.json", jsontest.String(t, rj)})
		}
		files = append(files, [2]string{run + "/console.log", "console"})
		for i, d := range resultDirs {
			id := f.expand(d)
			files = append(files,
				[2]string{run + "/" + id + "/result.json", jsontest.String(t, map[string]any{"id": id, "test_id": fmt.Sprint("imported-", i), "result": "failed",
					"duration": 1.5, "start_time": "2024-06-01T12:00:00+00:00", "run_id": run, "metadata": map[string]any{"run": run}})},
				[2]string{run + "/" + id + "/traceback.log", "tb"})
		}
		return backendtest.TarGz(t, files...)
	}
}

var importCases = []icase{
	{name: "JUnit names Q in properties, no form project", field: "junit properties project", filename: "report.xml",
		file: junitFile(map[string]string{"project": "{Qname}"})},
	{name: "JUnit names Q's id in properties, no form project", field: "junit properties project", filename: "report.xml",
		file: junitFile(map[string]string{"project": "{Q}"})},
	{name: "JUnit project_id of Q in properties, no form project", field: "junit properties project_id", filename: "report.xml",
		file: junitFile(map[string]string{"project_id": "{Q}"})},
	{name: "JUnit names Q in properties, form project P", field: "junit properties project", filename: "report.xml",
		form: map[string]string{"project": "{P}"}, file: junitFile(map[string]string{"project": "{Qname}"}), formMayWin: true},
	{name: "JUnit testcase project_id of Q, form project P", field: "junit testcase project_id", filename: "report.xml",
		form: map[string]string{"project": "{P}"}, file: junitFile(nil, "project_id", "{Q}")},
	{name: "JUnit file named after Q's run", field: "junit file name (run id)", filename: "{Q.run}.xml",
		form: map[string]string{"project": "{P}"}, file: junitFile(nil), names: "Q.run"},
	{name: "archive run.json with Q's run id and project, no form project", field: "archive run.json id", filename: "run.tar.gz",
		file: archiveFile("{Q.run}", map[string]any{"id": "{Q.run}", "env": "hijack", "component": "hijack", "start_time": "2020-01-01T00:00:00+00:00",
			"metadata": map[string]any{"project": "{Q}", "env": "hijack"}}), names: "Q.run"},
	{name: "archive run.json with Q's run id, form project P", field: "archive run.json id", filename: "run.tar.gz",
		form: map[string]string{"project": "{P}"}, file: archiveFile("{Q.run}", map[string]any{"id": "{Q.run}", "metadata": map[string]any{"project": "{P}"}}), names: "Q.run"},
	{name: "archive without run.json in Q's run directory, form project P", field: "archive run directory (run id)", filename: "run.tar.gz",
		form: map[string]string{"project": "{P}"}, file: archiveFile("{Q.run}", nil, "{random}"), names: "Q.run"},
	{name: "archive run.json metadata.project Q, no form project", field: "archive run.json metadata.project", filename: "run.tar.gz",
		file: archiveFile("{random}", map[string]any{"id": "new", "metadata": map[string]any{"project": "{Qname}"}}, "{random}")},
	{name: "archive run.json metadata.project Q, form project P", field: "archive run.json metadata.project", filename: "run.tar.gz",
		form: map[string]string{"project": "{P}"}, file: archiveFile("{random}", map[string]any{"id": "new", "metadata": map[string]any{"project": "{Q}"}}, "{random}"), formMayWin: true},
	{name: "archive run.json project_id Q, no form project", field: "archive run.json project_id", filename: "run.tar.gz",
		file: archiveFile("{random}", map[string]any{"id": "new", "project_id": "{Q}", "metadata": map[string]any{"env": "x"}}, "{random}")},
	{name: "archive into P holding Q's result", field: "archive result directory (result id)", filename: "run.tar.gz",
		form: map[string]string{"project": "{P}"}, file: archiveFile("{random}", map[string]any{"id": "new", "metadata": map[string]any{"project": "{P}"}}, "{Q.result}"), names: "Q.result"},
	{name: "archive into P holding Q's result, project in run.json only", field: "archive result directory (result id)", filename: "run.tar.gz",
		file: archiveFile("{random}", map[string]any{"id": "new", "metadata": map[string]any{"project": "{Pname}"}}, "{Q.result}"), names: "Q.result"},
	{name: "JUnit with form metadata naming Q", field: "form metadata.project", filename: "report.xml",
		form: map[string]string{"metadata": `{"project": "{Qname}"}`}, file: junitFile(nil)},
	{name: "archive with form metadata naming Q", field: "form metadata.project", filename: "run.tar.gz",
		form: map[string]string{"metadata": `{"project": "{Q}"}`}, file: archiveFile("{random}", map[string]any{"id": "new", "metadata": map[string]any{"env": "x"}}, "{random}")},
	{name: "form names Q", field: "form project", filename: "report.xml",
		form: map[string]string{"project": "{Qname}"}, file: junitFile(nil)},
}

// TestMatrixImports uploads, as P's member, every import format with an
// id or a project of Q in each field that can carry one. Each import must
// end in `error` (naming the id where there is one) or be refused on
// upload, and write nothing at all: Q is unchanged and nothing lands in P
// (where the form names P and the file only names Q as a project, the
// form may win instead, as long as nothing lands outside P).
// An archive imported twice into P is idempotent.
func TestMatrixImports(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range importCases {
		covered[c.field] = true
	}
	for _, fld := range importFields {
		if !covered[fld] {
			t.Errorf("import field without a row in importCases: %s", fld)
		}
	}
	eachDB(t, func(t *testing.T, sqlite bool) {
		f := newIsoFixture(t, sqlite)
		base := f.snap()
		for _, c := range importCases {
			t.Run(c.name, func(t *testing.T) {
				after := runImportCase(t, f, c)
				f.restore(base, after)
			})
		}
		t.Run("same archive into P twice", func(t *testing.T) { importTwice(t, f, base) })
	})
}

func runImportCase(t *testing.T, f *isoFixture, c icase) *snapshot {
	before := f.snap()
	form := map[string]string{}
	for k, v := range c.form {
		form[k] = f.expand(v)
	}
	r := f.multipart("/api/import", form, "importFile", f.expand(c.filename), c.file(t, f), f.tokens["member"])
	var own string
	formWon := false
	switch {
	case r.Code == 202:
		own = r.Map()["id"].(string)
		st := f.waitImport(own)
		md, _ := st["metadata"].(map[string]any)
		msg := fmt.Sprint(md["error"])
		if c.formMayWin && st["status"] == "done" {
			formWon = true
		} else if st["status"] != "error" {
			t.Errorf("import ended %q, want error: %v", st["status"], st)
		} else if c.names != "" && !strings.Contains(msg, f.ids[c.names]) {
			t.Errorf("import error %q does not name %s (%s)", msg, c.names, f.ids[c.names])
		}
	case containsInt([]int{400, 403, 404}, r.Code):
	default:
		t.Errorf("upload: status %d: %s", r.Code, trim(r.Body.String()))
	}
	after := f.snap()
	if formWon {
		if tr := trespass(before, after, f.users["member"].ID); len(tr) > 0 {
			t.Errorf("the import (the form's project won) wrote outside P: %s", f.describe(tr))
		}
		return after
	}
	var wrote []string
	for _, k := range changed(before, after) {
		if k != "imports/"+own {
			wrote = append(wrote, k)
		}
	}
	if len(wrote) > 0 {
		t.Errorf("the import wrote: %s", f.describe(wrote))
	}
	if bad := invariants(after); len(bad) > 0 {
		t.Errorf("the database breaks the tenancy invariants: %s", f.describe(bad))
	}
	return after
}

// importTwice imports one archive of a new run into P twice, as P's member
// (the pytest plugin's archive upload retried): both imports succeed, the
// second adds no row, and nothing outside P changes.
func importTwice(t *testing.T, f *isoFixture, base *snapshot) {
	run, res1, res2 := uuid.NewString(), uuid.NewString(), uuid.NewString()
	file := archiveFile(run, map[string]any{"id": run, "metadata": map[string]any{"project": "{Pname}", "env": "stage"}}, res1, res2)(t, f)
	before := f.snap()
	var counts []string
	for i := 0; i < 2; i++ {
		r := f.multipart("/api/import", map[string]string{"project": f.ids["P"]}, "importFile", "run.tar.gz", file, f.tokens["member"])
		if r.Code != 202 {
			t.Fatalf("import %d: %d %s", i+1, r.Code, r.Body)
		}
		if st := f.waitImport(r.Map()["id"].(string)); st["status"] != "done" {
			t.Fatalf("import %d ended %v", i+1, st)
		}
		after := f.snap()
		if tr := trespass(before, after, f.users["member"].ID); len(tr) > 0 {
			t.Errorf("import %d changed rows outside P: %s", i+1, f.describe(tr))
		}
		n := 0
		for k := range after.rows {
			if !strings.HasPrefix(k, "imports/") && !strings.HasPrefix(k, "tokens/") {
				n++
			}
		}
		counts = append(counts, fmt.Sprint(n))
		var rrow struct{ ProjectID *uuid.UUID }
		if err := f.App.DB.Gorm.Table("runs").Select("project_id").Where("id = ?", run).Take(&rrow).Error; err != nil || rrow.ProjectID == nil || rrow.ProjectID.String() != f.ids["P"] {
			t.Errorf("import %d: run not in P: %v %v", i+1, rrow.ProjectID, err)
		}
	}
	if counts[0] != counts[1] {
		t.Errorf("the second import changed the number of rows: %s then %s", counts[0], counts[1])
	}
	f.restore(base, f.snap())
}
