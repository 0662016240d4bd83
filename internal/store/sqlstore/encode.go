package sqlstore

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// newID returns a UUIDv7 string. Its time prefix makes ids sort in creation
// order, which the transcript relies on (messages are paged by id).
func newID() string {
	id, err := uuid.NewV7()
	if err != nil {
		// NewV7 fails only when the system random source does; nothing can be
		// stored safely without unique ids.
		panic(fmt.Sprintf("sqlstore: generate id: %v", err))
	}
	return id.String()
}

// rowScanner is *sql.Row or *sql.Rows.
type rowScanner interface {
	Scan(dest ...any) error
}

// timeCol scans a time column of either dialect: INTEGER unix microseconds
// (SQLite) or TIMESTAMPTZ (PostgreSQL). Both come back in UTC.
type timeCol struct{ dst *time.Time }

func (c timeCol) Scan(v any) error {
	switch x := v.(type) {
	case int64:
		*c.dst = time.UnixMicro(x).UTC()
	case time.Time:
		*c.dst = x.UTC()
	default:
		return fmt.Errorf("sqlstore: cannot scan %T as time", v)
	}
	return nil
}

// nullTimeCol scans a nullable time column; NULL leaves *dst nil.
type nullTimeCol struct{ dst **time.Time }

func (c nullTimeCol) Scan(v any) error {
	if v == nil {
		*c.dst = nil
		return nil
	}
	var t time.Time
	if err := (timeCol{&t}).Scan(v); err != nil {
		return err
	}
	*c.dst = &t
	return nil
}

// jsonCol scans a JSON column (TEXT or JSONB) into dst.
type jsonCol struct{ dst any }

func (c jsonCol) Scan(v any) error {
	var b []byte
	switch x := v.(type) {
	case nil:
		return nil
	case []byte:
		b = x
	case string:
		b = []byte(x)
	default:
		return fmt.Errorf("sqlstore: cannot scan %T as JSON", v)
	}
	return json.Unmarshal(b, c.dst)
}

// jsonValue encodes v for a JSON column.
func jsonValue(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("sqlstore: encode JSON: %w", err)
	}
	return string(b), nil
}

// jsonList encodes a list for a JSON column; nil and empty both become [] so
// that the column never holds null and reads give back a nil slice.
func jsonList[T any](list []T) (string, error) {
	if len(list) == 0 {
		return "[]", nil
	}
	return jsonValue(list)
}

// nilIfEmpty makes empty lists read back as nil, whatever was written.
func nilIfEmpty[T any](list []T) []T {
	if len(list) == 0 {
		return nil
	}
	return list
}

// nullable stores "" as NULL, for optional references.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullString reads a nullable text column, NULL as "".
type nullString struct{ dst *string }

func (c nullString) Scan(v any) error {
	var ns sql.NullString
	if err := ns.Scan(v); err != nil {
		return err
	}
	*c.dst = ns.String
	return nil
}
