package wiring

import (
	"context"
	"log/slog"

	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/db"
)

// OpenDB opens the configured database with what the feature packages need
// from the embedded driver: on SQLite, the filter language's REGEXP function
// (the `~` operator) is registered before the first connection. Processes
// that serve or run filtered queries open their database through here.
func OpenDB(ctx context.Context, cfg config.Database, log *slog.Logger) (*db.DB, error) {
	return db.Open(ctx, cfg, log, db.OnSQLite(filter.RegisterSQLite))
}
