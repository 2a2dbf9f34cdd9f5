package importer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/importer"
	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/junitgen"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/parsertest"
)

// TestUploadIsStoredInChunks: an upload larger than one chunk is stored as
// 1 MiB chunks that add up to the file, import_files.content stays NULL,
// the import reads them back in order, and clearing drops them.
func TestUploadIsStoredInChunks(t *testing.T) {
	// Through Redis, with the worker started only once the chunks were
	// looked at.
	opts := backendtest.Options{Redis: true, Configure: func(c *config.Config) { c.Tasks.Queue = "chunks-" + uuid.NewString()[:8] }}
	dialects(t, opts, func(t *testing.T, e *backendtest.Env) {
		// ~2.5 MiB: the report, padded with a comment so the chunk
		// boundaries fall inside the XML.
		data := junitgen.Report(3000)
		pad := strings.Repeat("x", (5<<19)-len(data))
		data = append([]byte(`<?xml version="1.0" encoding="UTF-8"?><!--`+pad+`-->`), bytes.TrimPrefix(data, []byte(`<?xml version="1.0" encoding="UTF-8"?>`))...)
		r := upload(e, e.AdminToken, "chunks.xml", data, map[string]string{"metadata": `{"build": "9"}`})
		if r.Code != 202 {
			t.Fatalf("upload: %d %s", r.Code, r.Body)
		}
		id := r.Map()["id"].(string)
		var rows []struct {
			Seq int
			Len int
		}
		if err := e.App.DB.Gorm.Raw("SELECT c.seq, length(c.data) AS len FROM ibutsu_import_chunks c JOIN import_files f ON f.id = c.file_id"+
			" WHERE f.import_id = ? AND f.content IS NULL ORDER BY c.seq", id).Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		total := 0
		for i, c := range rows {
			if c.Seq != i || (i < len(rows)-1 && c.Len != 1<<20) {
				t.Fatalf("chunk %d: %+v", i, c)
			}
			total += c.Len
		}
		if len(rows) != 3 || total != len(data) {
			t.Fatalf("%d chunks of %d bytes for a file of %d", len(rows), total, len(data))
		}
		e.StartWorker(1)
		imp := waitImport(t, e, id)
		if n := len(resultsOf(t, e, runOf(t, e, imp).ID)); n != 3000 {
			t.Fatalf("%d results", n)
		}
		deadline := time.Now().Add(10 * time.Second)
		for count(t, e, "ibutsu_import_chunks") != 0 {
			if time.Now().After(deadline) {
				t.Fatal("chunks never cleared")
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

// TestImportReadsUpstreamContent: an import whose bytes upstream stored in
// import_files.content (an adopted database) is still imported, and
// clearing nulls that content.
func TestImportReadsUpstreamContent(t *testing.T) {
	dialects(t, backendtest.Options{}, func(t *testing.T, e *backendtest.Env) {
		ctx := context.Background()
		status, format, name := importer.StatusPending, "", "legacy.xml"
		imp := &model.Import{ID: uuid.New(), Filename: &name, Format: &format, Status: &status,
			Data: model.JSON{"metadata": nil}, Created: time.Now().UTC()}
		file := &model.ImportFile{ID: uuid.New(), ImportID: imp.ID, Content: parsertest.ReadFile(t, "fx01-single-suite.xml")}
		for _, row := range []any{imp, file} {
			if err := e.App.DB.Gorm.Create(row).Error; err != nil {
				t.Fatal(err)
			}
		}
		payload, _ := json.Marshal(map[string]string{"import_id": imp.ID.String()})
		if _, err := e.App.Queue.Enqueue(ctx, importer.TypeJUnitImport, payload); err != nil {
			t.Fatal(err)
		}
		done := waitImport(t, e, imp.ID.String())
		if n := len(resultsOf(t, e, runOf(t, e, done).ID)); n != 6 {
			t.Fatalf("%d results", n)
		}
		msg, err := e.App.Services.Imports.ClearContent(ctx, imp.ID)
		want := []string{fmt.Sprintf("Cleared %d bytes from import_file for import %s", len(file.Content), imp.ID),
			fmt.Sprintf("No content to clear for import %s", imp.ID)} // the task's own clear may have run first
		if err != nil || (msg != want[0] && msg != want[1]) {
			t.Fatalf("clear: %q %v", msg, err)
		}
		var left int64
		e.App.DB.Gorm.Table("import_files").Where("import_id = ? AND content IS NOT NULL", imp.ID).Count(&left)
		if left != 0 {
			t.Fatal("content not cleared")
		}
	})
}
