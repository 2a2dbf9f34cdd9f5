package testdb

import (
	"context"
	"slices"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// goose reads the versions a database's migrations recorded, with the
// time each was applied.
func gooseVersions(t *testing.T, d *db.DB) []string {
	t.Helper()
	var rows []string
	if err := d.Conn(context.Background()).Raw("SELECT version_id || ' ' || is_applied || ' ' || tstamp FROM goose_db_version ORDER BY id").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestPostgresIsACopyOfTheTemplate: the database a store test gets is a
// copy of the migrated template, not migrated again (its migrations carry
// the template's timestamps), and it has the very schema a database
// migrated from empty has.
func TestPostgresIsACopyOfTheTemplate(t *testing.T) {
	ctx := context.Background()
	Postgres(t, func(t *testing.T, d *db.DB) {
		name, err := migratedTemplate(testenv.PostgresDSN(t))
		if err != nil {
			t.Fatal(err)
		}
		tpl, err := db.Open(ctx, config.Database{URL: testenv.DatabaseDSN(t, name), MaxOpenConns: 1}, quiet())
		if err != nil {
			t.Fatal(err)
		}
		want := gooseVersions(t, tpl)
		if err := tpl.Close(); err != nil { // a connected template cannot be copied
			t.Fatal(err)
		}
		got := gooseVersions(t, d)
		if len(got) < 2 || !slices.Equal(got, want) {
			t.Errorf("migrations recorded in the test's database:\n%v\nin the template %s:\n%v", got, name, want)
		}

		fresh := open(t, config.Database{URL: testenv.NewPostgresDatabase(t), MaxOpenConns: 1})
		wantSchema, err := db.DescribeSchema(ctx, fresh.SQL)
		if err != nil {
			t.Fatal(err)
		}
		gotSchema, err := db.DescribeSchema(ctx, d.SQL)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(gotSchema, wantSchema) {
			t.Errorf("the copy's schema differs from a fresh migration's:\ncopy:  %v\nfresh: %v", gotSchema, wantSchema)
		}
	})
}
