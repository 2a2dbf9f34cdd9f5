package filter

import "github.com/ibutsu-go/ibutsu/pkg/filter/sqlitefunc"

// RegisterSQLite registers the SQL functions SQLite needs for filters (the
// `~` operator's REGEXP) with the SQLite driver. Call it once, before the
// first SQLite connection is opened; further calls do nothing. Code that
// cannot import this package (platform/db would form a cycle) calls
// sqlitefunc.Register, which is the same thing.
func RegisterSQLite() error {
	return sqlitefunc.Register()
}
