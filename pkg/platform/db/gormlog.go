package db

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// statementLogger is GORM's logger for our slog handler. It logs failed
// statements (except "record not found", which callers answer with a 404)
// and statements slower than slow, and nothing else. Logged SQL keeps its
// placeholders: argument values (password hashes, tokens, user data) never
// reach the log.
//
// GORM's own slog logger renders every statement with its arguments
// inlined before it decides whether to log it; for a 100-row insert that is
// thousands of formatted values thrown away on every call. This one asks
// GORM for the SQL text only when it is about to log it.
type statementLogger struct {
	log  *slog.Logger
	slow time.Duration
}

// newStatementLogger builds the logger; slow 0 disables slow-statement logs.
func newStatementLogger(log *slog.Logger, slow time.Duration) *statementLogger {
	return &statementLogger{log: log, slow: slow}
}

// LogMode is part of logger.Interface: the level is fixed (errors and slow
// statements), so it returns the logger unchanged.
func (l *statementLogger) LogMode(logger.LogLevel) logger.Interface { return l }

// Info is part of logger.Interface (GORM's own notices).
func (l *statementLogger) Info(ctx context.Context, msg string, args ...any) {
	l.log.InfoContext(ctx, fmt.Sprintf(msg, args...))
}

// Warn is part of logger.Interface (GORM's own notices).
func (l *statementLogger) Warn(ctx context.Context, msg string, args ...any) {
	l.log.WarnContext(ctx, fmt.Sprintf(msg, args...))
}

// Error is part of logger.Interface (GORM's own notices).
func (l *statementLogger) Error(ctx context.Context, msg string, args ...any) {
	l.log.ErrorContext(ctx, fmt.Sprintf(msg, args...))
}

// ParamsFilter is GORM's hook for rendering logged SQL: it drops the
// arguments, so the statement is logged with its placeholders.
func (l *statementLogger) ParamsFilter(_ context.Context, sql string, _ ...any) (string, []any) {
	return sql, nil
}

// Trace is called after every statement; fc renders its SQL and is called
// only when the statement is logged.
func (l *statementLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	elapsed := time.Since(begin)
	var level slog.Level
	var msg string
	switch {
	case err != nil && !errors.Is(err, gorm.ErrRecordNotFound):
		level, msg = slog.LevelError, "SQL statement failed"
	case l.slow > 0 && elapsed > l.slow:
		level, msg = slog.LevelWarn, "slow SQL statement"
	default:
		return
	}
	if !l.log.Enabled(ctx, level) {
		return
	}
	sql, rows := fc()
	attrs := []slog.Attr{slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000), slog.String("sql", sql)}
	if rows >= 0 {
		attrs = append(attrs, slog.Int64("rows", rows))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	l.log.LogAttrs(ctx, level, msg, attrs...)
}
