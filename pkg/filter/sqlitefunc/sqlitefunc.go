// Package sqlitefunc registers the SQL functions the filter language needs on
// the embedded SQLite driver (github.com/glebarez/go-sqlite): SQLite has a
// REGEXP operator but no function behind it, so `x REGEXP p` fails until
// one is registered.
//
// It is a leaf package (it imports no project package); package filter
// exposes it as RegisterSQLite, which the composition root hands to db.Open.
package sqlitefunc

import (
	"database/sql/driver"
	"fmt"
	"strconv"
	"sync"

	sqlite "github.com/glebarez/go-sqlite"
)

// RegexpName is the SQL name of the regular-expression function. SQLite
// rewrites `X REGEXP Y` into `regexp(Y, X)`, so the name must be exactly this.
const RegexpName = "regexp"

// registration remembers the one process-wide registration: the driver keeps
// functions in a global table and refuses a second function of the same name.
var registration struct {
	once sync.Once
	err  error
}

// Register adds the functions to the SQLite driver for every connection
// opened afterwards. It must run before the first SQLite connection is
// opened; calling it again is harmless and returns the first call's result.
func Register() error {
	registration.once.Do(func() {
		cache := NewPatternCache(DefaultCacheSize)
		if err := sqlite.RegisterDeterministicScalarFunction(RegexpName, 2, cache.sqlRegexp); err != nil {
			registration.err = fmt.Errorf("register SQLite function %s: %w", RegexpName, err)
		}
	})
	return registration.err
}

// sqlRegexp implements regexp(pattern, subject): NULL when either side is
// NULL (so the row does not match), otherwise 1 or 0.
func (c *PatternCache) sqlRegexp(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	if len(args) != 2 || args[0] == nil || args[1] == nil {
		return nil, nil
	}
	re, err := c.Compile(asText(args[0]))
	if err != nil {
		return nil, err
	}
	if re.MatchString(asText(args[1])) {
		return int64(1), nil
	}
	return int64(0), nil
}

// asText renders an SQLite value as the text SQLite itself would produce.
func asText(v driver.Value) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	default:
		return fmt.Sprint(x)
	}
}
