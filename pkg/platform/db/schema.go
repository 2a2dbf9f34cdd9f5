package db

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
)

// DescribeSchema lists every object of the current PostgreSQL schema as
// sorted, comparable lines: tables; columns with position, type,
// nullability and default; constraints with their definition; indexes
// with their definition and validity; triggers; functions; sequences and
// views. Two databases with the same lines have the same schema as far as
// any client can tell, which is how the tests compare an adopted upstream
// database, one we created, and one handed back to upstream.
func DescribeSchema(ctx context.Context, q *sql.DB) ([]string, error) {
	queries := []string{
		`SELECT format('relation %s %s', c.relkind, c.relname)
		 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		 WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')`,
		`SELECT format('column %s.%s #%s %s notnull=%s default=%s', c.relname, a.attname,
		        row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum),
		        format_type(a.atttypid, a.atttypmod), a.attnotnull,
		        COALESCE(pg_get_expr(d.adbin, d.adrelid), '-'))
		 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
		 JOIN pg_namespace n ON n.oid = c.relnamespace
		 LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
		 WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`,
		`SELECT format('constraint %s %s: %s', c.relname, k.conname, pg_get_constraintdef(k.oid))
		 FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
		 JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema()`,
		`SELECT format('index %s valid=%s: %s', ic.relname, i.indisvalid, pg_get_indexdef(i.indexrelid))
		 FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
		 JOIN pg_namespace n ON n.oid = ic.relnamespace WHERE n.nspname = current_schema()`,
		`SELECT format('trigger %s: %s', tg.tgname, pg_get_triggerdef(tg.oid))
		 FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
		 JOIN pg_namespace n ON n.oid = c.relnamespace
		 WHERE n.nspname = current_schema() AND NOT tg.tgisinternal`,
		`SELECT format('function %s', p.oid::regprocedure)
		 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema()`,
		`SELECT format('extension %s', extname) FROM pg_extension WHERE extname <> 'plpgsql'`,
		`SELECT format('type %s', t.typname) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
		 WHERE n.nspname = current_schema() AND t.typtype IN ('e', 'd', 'r')`,
	}
	var out []string
	for _, query := range queries {
		rows, err := q.QueryContext(ctx, query)
		if err != nil {
			return nil, fmt.Errorf("describe schema: %w", err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				rows.Close()
				return nil, fmt.Errorf("describe schema: %w", err)
			}
			out = append(out, s)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("describe schema: %w", err)
		}
	}
	sort.Strings(out)
	return out, nil
}
