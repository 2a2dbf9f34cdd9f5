package bench

import (
	"context"
	"log/slog"
	"regexp"
	"slices"
	"sort"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// TestSizeTablesCoverTheSchema: the size rows report every table whose
// rows come with results or runs, read from the migrated schema rather
// than remembered, so a new table cannot be forgotten: results and runs,
// every table with a run_id or result_id column, and every table a
// trigger on one of those writes to (the count deltas), to a fixed point.
// Every table listed exists.
func TestSizeTablesCoverTheSchema(t *testing.T) {
	if testing.Short() {
		t.Skip("migrates a PostgreSQL database")
	}
	ctx := context.Background()
	quiet := slog.New(slog.DiscardHandler)
	d, err := db.Open(ctx, config.Database{URL: testenv.NewPostgresDatabase(t), MaxOpenConns: 2, MaxIdleConns: 2}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if err := d.Migrate(ctx, quiet); err != nil {
		t.Fatal(err)
	}
	var tables []string
	err = d.Gorm.Raw(`SELECT DISTINCT c.relname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
		WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
			AND a.attnum > 0 AND NOT a.attisdropped AND a.attname IN ('run_id', 'result_id')`).Scan(&tables).Error
	if err != nil {
		t.Fatal(err)
	}
	grows := map[string]bool{"results": true, "runs": true}
	for _, n := range tables {
		grows[n] = true
	}
	var triggers []struct {
		Tab, Src string
	}
	err = d.Gorm.Raw(`SELECT t.tgrelid::regclass::text AS tab, p.prosrc AS src FROM pg_trigger t
		JOIN pg_proc p ON p.oid = t.tgfoid WHERE NOT t.tgisinternal`).Scan(&triggers).Error
	if err != nil {
		t.Fatal(err)
	}
	insert := regexp.MustCompile(`(?i)\bINSERT\s+INTO\s+([a-z_][a-z0-9_]*)`)
	for changed := true; changed; {
		changed = false
		for _, tr := range triggers {
			if !grows[tr.Tab] {
				continue
			}
			for _, m := range insert.FindAllStringSubmatch(tr.Src, -1) {
				if !grows[m[1]] {
					grows[m[1]], changed = true, true
				}
			}
		}
	}
	var missing []string
	for n := range grows {
		if !slices.Contains(sizeTables, n) {
			missing = append(missing, n)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("tables that grow with results or runs missing from sizeTables: %v", missing)
	}
	for _, n := range sizeTables {
		var ok bool
		if err := d.Gorm.Raw("SELECT to_regclass(?) IS NOT NULL", n).Scan(&ok).Error; err != nil || !ok {
			t.Errorf("sizeTables lists %s, which is no table (err %v)", n, err)
		}
	}
	t.Logf("%d tables grow with results or runs; sizeTables lists %d", len(grows), len(sizeTables))
}
