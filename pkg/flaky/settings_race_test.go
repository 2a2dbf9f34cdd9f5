package flaky

import (
	"context"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// A settings PUT of one field while another PUT of another field is being
// committed (held open, testdb.WhileHeld) keeps both fields: it merges
// into the settings the first wrote, not into the defaults it read before.
func TestSettingsPutsTogetherKeepBothFields(t *testing.T) {
	testdb.PostgresFixture(t, newFixture, func(t *testing.T, ctx context.Context, d *db.DB, f *fixture) {
		minFlips, lastRuns := 5, 20
		first := func(ctx context.Context) error {
			_, err := f.svc.mergeSettings(ctx, f.mine, SettingsRequest{MinFlips: &minFlips})
			return err
		}
		waited, err := testdb.WhileHeld(t, d, first, func() error {
			_, err := f.svc.PutSettings(ctx, f.owner, f.mine, SettingsRequest{LastRuns: &lastRuns})
			return err
		})
		if err != nil || !waited {
			t.Fatalf("second PUT: %v (waited for the first: %v)", err, waited)
		}
		st, err := f.svc.GetSettings(ctx, f.owner, f.mine)
		if err != nil || st.MinFlips != minFlips || st.LastRuns != lastRuns {
			t.Fatalf("settings %+v %v, want min_flips %d and last_runs %d", st, err, minFlips, lastRuns)
		}
	})
}
