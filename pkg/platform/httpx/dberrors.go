package httpx

import (
	"errors"
	"net/http"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// dbError maps database failures that a client's input can cause to 4xx (or
// a 504 for the statement timeout) instead of an opaque 500: a regex
// PostgreSQL rejects, a value out of range, a dangling reference. It returns
// nil for errors that are the server's fault.
func dbError(err error) *apperr.Error {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "2201B": // invalid_regular_expression
			return apperr.Problem(http.StatusBadRequest, "Invalid regular expression in filter: %s", pg.Message)
		case "57014": // query_canceled: the statement timeout
			return apperr.Problem(http.StatusGatewayTimeout, "The query took too long and was cancelled; narrow the filters")
		case "22P02", "22003", "22007", "22008", "22001", "22021", "2200N": // bad text/number/datetime/encoding
			return apperr.Problem(http.StatusBadRequest, "Invalid value: %s", pg.Message)
		case "23503": // foreign_key_violation
			return apperr.Problem(http.StatusBadRequest, "A referenced record does not exist")
		case "23505": // unique_violation
			return apperr.Problem(http.StatusBadRequest, "A record with this id already exists")
		}
	}
	switch {
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return apperr.Problem(http.StatusBadRequest, "A referenced record does not exist")
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return apperr.Problem(http.StatusBadRequest, "A record with this id already exists")
	}
	return nil
}

// ClientDBError is the 4xx a database failure caused by the client's input
// maps to (a regex PostgreSQL rejects, a value out of range, a dangling
// reference), or nil. Handlers with their own error bodies (the widget
// controller answers upstream's JSON strings) use it to keep the same
// 4xx rule as WriteError.
func ClientDBError(err error) *apperr.Error {
	if e := dbError(err); e != nil && e.Status < http.StatusInternalServerError {
		return e
	}
	return nil
}
