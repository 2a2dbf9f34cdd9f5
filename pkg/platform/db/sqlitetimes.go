package db

import (
	"context"
	"database/sql/driver"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// sqliteConnector opens connections of the SQLite driver whose rows read a
// DATETIME beyond the years 1-9999 as the nearest time within them
// (model.ClampTime). The driver parses such a column's text into a
// time.Time only when it has a four-digit year: "10000-01-01 04:00:00+00:00",
// stored before the API refused such times or by another writer, came back
// as a string no time.Time could be scanned from, and every list holding
// the row was a 500. PostgreSQL reads such rows; the API clamps them when
// it serves them.
type sqliteConnector struct {
	drv driver.Driver
	dsn string
}

func (c sqliteConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err //nolint:wrapcheck // database/sql reports it as the driver's
	}
	return timesConn{conn}, nil
}

func (c sqliteConnector) Driver() driver.Driver { return c.drv }

// errNoContext is returned if the driver lacks a context-aware method;
// glebarez/go-sqlite has them all.
var errNoContext = errors.New("sqlite driver: context-aware method missing")

// timesConn forwards to the driver's connection and wraps the rows of its
// queries.
type timesConn struct{ driver.Conn }

func (c timesConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	b, ok := c.Conn.(driver.ConnBeginTx)
	if !ok {
		return nil, errNoContext
	}
	return b.BeginTx(ctx, opts) //nolint:wrapcheck // forwarded as is
}

func (c timesConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	p, ok := c.Conn.(driver.ConnPrepareContext)
	if !ok {
		return nil, errNoContext
	}
	s, err := p.PrepareContext(ctx, query)
	if err != nil {
		return nil, err //nolint:wrapcheck // forwarded as is
	}
	return timesStmt{s}, nil
}

func (c timesConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	e, ok := c.Conn.(driver.ExecerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	return e.ExecContext(ctx, query, args) //nolint:wrapcheck // forwarded as is
}

func (c timesConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	q, ok := c.Conn.(driver.QueryerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	r, err := q.QueryContext(ctx, query, args)
	if err != nil {
		return nil, err //nolint:wrapcheck // forwarded as is
	}
	return &timesRows{Rows: r}, nil
}

func (c timesConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx) //nolint:wrapcheck // forwarded as is
	}
	return nil
}

// timesStmt wraps the rows of a prepared statement's queries.
type timesStmt struct{ driver.Stmt }

func (s timesStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	e, ok := s.Stmt.(driver.StmtExecContext)
	if !ok {
		return nil, errNoContext
	}
	return e.ExecContext(ctx, args) //nolint:wrapcheck // forwarded as is
}

func (s timesStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	q, ok := s.Stmt.(driver.StmtQueryContext)
	if !ok {
		return nil, errNoContext
	}
	r, err := q.QueryContext(ctx, args)
	if err != nil {
		return nil, err //nolint:wrapcheck // forwarded as is
	}
	return &timesRows{Rows: r}, nil
}

// timesRows clamps the DATETIME columns the driver could not parse.
type timesRows struct {
	driver.Rows
	timeCols []bool // per column: declared DATE, DATETIME or TIMESTAMP
}

func (r *timesRows) Next(dest []driver.Value) error {
	if err := r.Rows.Next(dest); err != nil {
		return err //nolint:wrapcheck // io.EOF must stay itself
	}
	if r.timeCols == nil {
		r.timeCols = make([]bool, len(dest))
		if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
			for i := range dest {
				switch t.ColumnTypeDatabaseTypeName(i) {
				case "DATE", "DATETIME", "TIMESTAMP":
					r.timeCols[i] = true
				}
			}
		}
	}
	for i, v := range dest {
		if s, ok := v.(string); ok && i < len(r.timeCols) && r.timeCols[i] {
			if t, ok := outOfRangeTime(s); ok {
				dest[i] = t
			}
		}
	}
	return nil
}

// outOfRangeTime reads the year of a stored time the driver could not
// parse and gives the nearest time the API serves, if that year is beyond
// 9999 or before 1.
func outOfRangeTime(s string) (time.Time, bool) {
	neg := strings.HasPrefix(s, "-")
	digits := strings.TrimPrefix(s, "-")
	end := strings.IndexByte(digits, '-')
	if end < 4 {
		return time.Time{}, false
	}
	year, err := strconv.Atoi(digits[:end])
	if err != nil {
		return time.Time{}, false
	}
	if neg || year == 0 {
		return model.ClampTime(time.Time{}.AddDate(-1, 0, 0)), true
	}
	if year > 9999 {
		return model.ClampTime(time.Date(10000, time.January, 1, 0, 0, 0, 0, time.UTC)), true
	}
	return time.Time{}, false
}

// The column metadata database/sql and GORM read, forwarded.

func (r *timesRows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *timesRows) ColumnTypeLength(i int) (int64, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeLength); ok {
		return t.ColumnTypeLength(i)
	}
	return 0, false
}

func (r *timesRows) ColumnTypeNullable(i int) (nullable, ok bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeNullable); ok {
		return t.ColumnTypeNullable(i)
	}
	return false, false
}

func (r *timesRows) ColumnTypePrecisionScale(i int) (precision, scale int64, ok bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypePrecisionScale); ok {
		return t.ColumnTypePrecisionScale(i)
	}
	return 0, 0, false
}

func (r *timesRows) ColumnTypeScanType(i int) reflect.Type {
	if t, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return t.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}
