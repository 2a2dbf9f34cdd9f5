// Package filter implements Ibutsu's filter mini-language
// (docs/api-compatibility.md#filter-language):
// strings such as `result=failed`, `summary.failures)1` or
// `metadata.tags*smoke;ui` given in the `filter` query parameter of list
// endpoints and in widgets' `additional_filters`. It turns them into one SQL
// condition with bound parameters for PostgreSQL or SQLite, so every list
// endpoint and widget shares one parser and one set of rules.
//
// Differences from upstream, all fixes of upstream bugs no client depends on:
// values are typed by the column they are compared with (text columns and
// JSON paths always compare as text; a value that cannot be of a UUID,
// number, boolean or timestamp column matches nothing instead of failing in
// the database), numeric summary keys holding a non-number count as NULL, and
// `@` with an empty value matches nothing.
//
// SQLite storage assumed by the SQLite dialect:
//   - JSON columns hold JSON text (model.JSON writes a string);
//   - UUIDs are lowercase hyphenated text (uuid.UUID's Value);
//   - booleans are integers 0/1 (the driver's encoding of bool);
//   - timestamps are UTC text in SQLiteTimeLayout, which is what
//     github.com/glebarez/go-sqlite writes for a UTC time.Time without a
//     `_time_format` DSN option; values must be stored in UTC for text
//     comparison to be chronological;
//   - the REGEXP function is registered with RegisterSQLite before the
//     first connection is opened (wiring.OpenDB hands it to db.Open).
package filter
