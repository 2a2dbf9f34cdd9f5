package main

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// TestArtifactsMigrateCommand: `backend artifacts migrate` moves a database
// artifact to the configured bucket, reports progress, moves nothing on a
// second run, and --to-database brings the bytes back.
func TestArtifactsMigrateCommand(t *testing.T) {
	e := backendtest.New(t, backendtest.Options{})
	s3 := testenv.S3Config(t)
	t.Setenv("DATABASE_URL", e.App.Config.Database.URL)
	t.Setenv("JWT_SECRET", "test-secret")
	if code, _, errs := exec(t, "", "artifacts", "migrate"); code != 1 || !strings.Contains(errs, "no object store is configured") {
		t.Fatalf("without a store: %d %q", code, errs)
	}
	u, _ := url.Parse(s3.Endpoint)
	t.Setenv("OBJECT_STORE_ENDPOINT", u.String())
	t.Setenv("OBJECT_STORE_BUCKET", s3.Bucket)
	t.Setenv("OBJECT_STORE_ACCESS_KEY", s3.AccessKey)
	t.Setenv("OBJECT_STORE_SECRET_KEY", s3.SecretKey)
	t.Setenv("OBJECT_STORE_PATH_STYLE", "true")
	if code, _, errs := exec(t, "", "artifacts", "move"); code != 1 || !strings.Contains(errs, "only subcommand is migrate") {
		t.Fatalf("unknown subcommand: %d %q", code, errs)
	}

	now := time.Now().UTC()
	run := &model.Run{ID: uuid.New(), StartTime: now, Created: now, Data: model.JSON{}}
	art := &model.Artifact{ID: uuid.New(), RunID: &run.ID, Filename: model.Ptr("log.txt"), Data: model.JSON{}, Content: []byte("bytes to move"), UploadDate: now}
	for _, r := range []any{run, art} {
		if err := e.App.DB.Gorm.Create(r).Error; err != nil {
			t.Fatal(err)
		}
	}
	content := func() string {
		var b []byte
		if err := e.App.DB.SQL.QueryRow("SELECT content FROM artifacts WHERE id = $1", art.ID).Scan(&b); err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	code, out, errs := exec(t, "", "artifacts", "migrate", "--batch", "1")
	if code != 0 || !strings.Contains(out, "moved 1 artifacts (13 bytes) to the object store") || !strings.Contains(out, "done: 1 artifacts") || content() != "" {
		t.Fatalf("migrate: %d %q %q, content %q", code, out, errs, content())
	}
	if code, out, _ := exec(t, "", "artifacts", "migrate"); code != 0 || !strings.Contains(out, "done: 0 artifacts") {
		t.Fatalf("second run: %d %q", code, out)
	}
	// This test's backend has no store configured: it says so instead of
	// serving the moved artifact as empty.
	if r := e.Do("GET", "/api/artifact/"+art.ID.String()+"/view", nil, e.AdminToken); r.Code != 503 || !strings.Contains(r.Body.String(), "object store") {
		t.Fatalf("view after the move without a store: %d %q", r.Code, r.Body)
	}
	if code, out, errs := exec(t, "", "artifacts", "migrate", "--to-database"); code != 0 || !strings.Contains(out, "done: 1 artifacts (13 bytes) moved to the database") || content() != "bytes to move" {
		t.Fatalf("to database: %d %q %q, content %q", code, out, errs, content())
	}
}
