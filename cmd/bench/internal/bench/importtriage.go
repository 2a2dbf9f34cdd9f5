package bench

import (
	"context"
	"fmt"
	"time"
)

// importFingerprintTarget is issue #21's bound: a JUnit import with its
// failures fingerprinted at least 0.9 of the same import without.
const importFingerprintTarget = 0.9

// importJUnitTriage imports the same n-case JUnit report (one case in ten
// failing) with the worker's failure fingerprinting and automatic
// classification on and off (the importer.Fingerprinting switch the worker
// was built with), alternating, best of two each: the same file, parser and
// rows but the fingerprint rows, so the ratio is what fingerprinting costs
// an import.
func (e *Env) importJUnitTriage(ctx context.Context, rep *Report, n int) error {
	sw := e.fingerprinting
	defer sw.Turn(true)
	data := junitReport(n)
	best := map[bool]time.Duration{}
	var fingerprinted int64
	for round := range 2 {
		for _, on := range []bool{false, true} {
			sw.Turn(on)
			settle()
			t0 := time.Now()
			runID, _, err := e.upload(ctx, fmt.Sprintf("bench-triage-%d-%d-%t.xml", n, round, on), data)
			elapsed := time.Since(t0)
			if err != nil {
				return err
			}
			var fps int64
			if err := e.Raw.QueryRow(ctx, `SELECT count(*) FROM ibutsu_result_fingerprints WHERE run_id = $1`, runID).Scan(&fps); err != nil {
				return fmt.Errorf("count fingerprints: %w", err)
			}
			want := int64(0)
			if on {
				want = int64((n + 9) / 10)
				fingerprinted = fps
			}
			if fps != want {
				return fmt.Errorf("import with fingerprinting %t stored %d fingerprints, want %d", on, fps, want)
			}
			if b, ok := best[on]; !ok || elapsed < b {
				best[on] = elapsed
			}
		}
	}
	with, without := float64(n)/best[true].Seconds(), float64(n)/best[false].Seconds()
	rep.add(Row{Scenario: "import", Case: fmt.Sprintf("JUnit %dk cases with failure fingerprinting, upload → done", n/1000),
		Unit: "cases/s", Value: with,
		Detail: fmt.Sprintf("best of 2: %.2f s with, %.2f s without; %d failures fingerprinted", best[true].Seconds(), best[false].Seconds(), fingerprinted),
		Limit:  "the same import, fingerprinting off (same run)", LimitValue: without, LimitUnit: "cases/s",
		Target: "≥ 0.90 of the import without it", Met: met(with/without >= importFingerprintTarget)})
	return nil
}
