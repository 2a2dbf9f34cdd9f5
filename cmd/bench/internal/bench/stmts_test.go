package bench

import "testing"

// TestShape: gorm's multi-row INSERTs of different batch sizes are one
// entry (their parameter lists cut off), other statements keep their text,
// and a load's entries merge with their counts summed, WAL included.
func TestShape(t *testing.T) {
	two := `INSERT INTO "results" ("id","run_id") VALUES ($1,$2),($3,$4)`
	three := `INSERT INTO "results" ("id","run_id") VALUES ($1,$2),($3,$4),($5,$6)`
	if shape(two) != shape(three) || shape(two) != `INSERT INTO "results" ("id","run_id") VALUES …` {
		t.Errorf("shape(%q) = %q, shape(%q) = %q: want one entry", two, shape(two), three, shape(three))
	}
	for _, q := range []string{
		"SELECT 1 FROM ONLY \"public\".\"runs\" x WHERE \"id\" OPERATOR(pg_catalog.=) $1 FOR KEY SHARE OF x",
		"WITH v AS ( SELECT * FROM unnest($1::uuid[]) AS v(id) ) INSERT INTO results (id) SELECT id FROM v",
	} {
		if got := shape(q); got != q {
			t.Errorf("shape(%q) = %q, want it unchanged", q, got)
		}
	}
	a := stmtUse{calls: 1, rows: 2, walRecords: 30, walBytes: 9000, walFPI: 1}
	a.add(stmtUse{calls: 1, rows: 3, walRecords: 45, walBytes: 12000})
	if a.calls != 2 || a.rows != 5 || a.walRecords != 75 || a.walBytes != 21000 || a.walFPI != 1 {
		t.Errorf("summed: %+v", a)
	}
}

// TestStmtUseAddsPlans pins that a load's statements summed (one entry per
// batch size merged by shape) keep their plannings and planning time, which
// the log's statements per row give.
func TestStmtUseAddsPlans(t *testing.T) {
	s := stmtUse{calls: 2, plans: 1, planMS: 0.5}
	s.add(stmtUse{calls: 3, plans: 2, planMS: 0.25})
	if s.calls != 5 || s.plans != 3 || s.planMS != 0.75 {
		t.Fatalf("summed %+v", s)
	}
	l := stmtLoad{stmts: map[string]*stmtUse{"a": {plans: 1, planMS: 1}, "b": {plans: 2, planMS: 2}}, stored: 1, known: true}
	if tot := l.total(); tot.plans != 3 || tot.planMS != 3 {
		t.Fatalf("total %+v", tot)
	}
}
