package model

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
)

// JSON is a JSON object stored in a jsonb (PostgreSQL) or TEXT (SQLite)
// column. A nil map is stored as SQL NULL, matching upstream rows whose
// metadata was never set.
type JSON map[string]any

// Value implements driver.Valuer.
func (j JSON) Value() (driver.Value, error) {
	if j == nil {
		return nil, nil
	}
	b, err := json.Marshal(map[string]any(j))
	if err != nil {
		return nil, fmt.Errorf("encode JSON column: %w", err)
	}
	return string(b), nil
}

// Scan implements sql.Scanner.
func (j *JSON) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
		*j = nil
		return nil
	case []byte:
		b = v
	case string:
		b = []byte(v)
	default:
		return fmt.Errorf("scan JSON column: unsupported type %T", src)
	}
	if len(b) == 0 || string(b) == "null" {
		*j = nil
		return nil
	}
	m := map[string]any{}
	if err := json.Unmarshal(b, &m); err != nil {
		// A number beyond float64 (stored by another writer) must not make
		// the row unreadable: decode again keeping such numbers as text.
		var tame error
		if m, tame = decodeStored(b); tame != nil {
			return fmt.Errorf("scan JSON column: %w", err)
		}
	}
	*j = m
	return nil
}

// OrEmpty returns the map, or an empty one for NULL, so API output shows
// `{}` where upstream emits it for NULL metadata.
func (j JSON) OrEmpty() map[string]any {
	if j == nil {
		return map[string]any{}
	}
	return j
}

// UUIDString renders a nullable UUID column for JSON (nil stays null).
func UUIDString(id *uuid.UUID) *string {
	if id == nil {
		return nil
	}
	s := id.String()
	return &s
}

// GormDataType tells GORM the column holds JSON (jsonb on PostgreSQL, TEXT
// on SQLite); the schema itself comes from the migrations.
func (JSON) GormDataType() string { return "json" }
