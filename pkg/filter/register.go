package filter

import "github.com/ibutsu-go/ibutsu/pkg/filter/sqlitefunc"

// RegisterSQLite registers the SQL functions SQLite needs for filters (the
// `~` operator's REGEXP) with the SQLite driver. It must run before the
// first SQLite connection is opened; further calls do nothing. platform/db
// does not import this package: the composition root passes it in as
// db.OnSQLite(filter.RegisterSQLite) (see wiring.OpenDB).
func RegisterSQLite() error {
	return sqlitefunc.Register()
}
