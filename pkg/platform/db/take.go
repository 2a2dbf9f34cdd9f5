package db

import (
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// Take loads the first row q selects into a new T. No row is notFound (a
// store's sentinel; with notFound nil, an optional row: nil, nil); any
// other failure is wrapped as "load <what>: ...". It exists because every
// store spelled out these three branches for each of its lookups.
func Take[T any](q *gorm.DB, notFound error, what string) (*T, error) {
	var row T
	err := q.Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, notFound
	}
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", what, err)
	}
	return &row, nil
}

// Exists reports whether q selects any row; a failure is wrapped as
// "check <what>: ...". It exists because every store that checks what a
// request refers to counted the rows itself.
func Exists(q *gorm.DB, what string) (bool, error) {
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return false, fmt.Errorf("check %s: %w", what, err)
	}
	return n > 0, nil
}

// Done is the error of the statement q ran, wrapped as "<what>: ...", or
// nil. It exists because every store's write spelled out the same check
// and wrap after its Create or Updates.
func Done(q *gorm.DB, what string) error {
	if q.Error != nil {
		return fmt.Errorf("%s: %w", what, q.Error)
	}
	return nil
}
