package bench

import (
	"context"
	"fmt"
	"time"
)

// importFingerprintTarget is issue #21's bound: a JUnit import with its
// failures fingerprinted at least 0.9 of the same import without.
const importFingerprintTarget = 0.9

// importTriageRounds is how many times importJUnitTriage imports the
// report with and without fingerprinting.
const importTriageRounds = 3

// importJUnitTriage imports the same n-case JUnit report (one case in ten
// failing) with the worker's failure fingerprinting and automatic
// classification on and off (the importer.Fingerprinting switch the worker
// was built with), in rounds of one import each, the order alternating
// from round to round: the same file, parser and rows but the fingerprint
// rows, so the ratio is what fingerprinting costs an import. The row
// takes the round whose ratio is the median of the rounds' ratios
// (pairedMedian: one import slowed by load elsewhere on the machine, on
// either side, does not decide it) and gives the fastest import of each
// side (best) in its detail.
func (e *Env) importJUnitTriage(ctx context.Context, rep *Report, n int) error {
	sw := e.fingerprinting
	defer sw.Turn(true)
	data := junitReport(n)
	var rounds []pair
	var fingerprinted int64
	for round := range importTriageRounds {
		took := map[bool]time.Duration{}
		order := []bool{false, true}
		if round%2 == 1 {
			order = []bool{true, false}
		}
		for _, on := range order {
			sw.Turn(on)
			settle()
			t0 := time.Now()
			runID, _, err := e.upload(ctx, fmt.Sprintf("bench-triage-%d-%d-%t.xml", n, round, on), data)
			took[on] = time.Since(t0)
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
		}
		rounds = append(rounds, pair{value: float64(n) / took[true].Seconds(), limit: float64(n) / took[false].Seconds()})
	}
	m, b := pairedMedian(rounds), best(rounds)
	rep.add(Row{Scenario: "import", Case: fmt.Sprintf("JUnit %dk cases with failure fingerprinting, upload → done", n/1000),
		Unit: "cases/s", Value: m.value,
		Detail: fmt.Sprintf("the median round of %d: %.2f s with, %.2f s without; best of each side %.2f s with, %.2f s without; %s; %d failures fingerprinted",
			importTriageRounds, float64(n)/m.value, float64(n)/m.limit, float64(n)/b.value, float64(n)/b.limit, pairedSummary(rounds), fingerprinted),
		Limit: "the same import, fingerprinting off (same round)", LimitValue: m.limit, LimitUnit: "cases/s",
		Target: "median round ≥ 0.90 of the import without it", Met: met(m.ratio() >= importFingerprintTarget)})
	return nil
}
