package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"
)

// Row is one measured figure next to the limit it is judged against.
// Ratio is Value ÷ LimitValue: for rates (higher is better) the share of
// the limit reached, for latencies (lower is better) how many times slower
// than the limit. Values are in Unit; Detail carries percentiles etc.
type Row struct {
	Scenario   string  `json:"scenario"`
	Case       string  `json:"case"`
	Unit       string  `json:"unit"`
	Value      float64 `json:"value"`
	Detail     string  `json:"detail,omitempty"`
	Limit      string  `json:"limit,omitempty"`
	LimitValue float64 `json:"limit_value,omitempty"`
	// LimitUnit is the limit's unit when it differs from Unit (req/s, rows/s).
	LimitUnit string  `json:"limit_unit,omitempty"`
	Ratio     float64 `json:"ratio,omitempty"`
	Target    string  `json:"target,omitempty"`
	// Met is nil when the row has no target.
	Met *bool `json:"met,omitempty"`
}

// Report is the whole run, as written to bench-results.json.
type Report struct {
	Scale     string    `json:"scale"`
	Started   time.Time `json:"started"`
	WallSecs  float64   `json:"wall_seconds"`
	Machine   Machine   `json:"machine"`
	Database  string    `json:"database"`
	Notes     []string  `json:"notes,omitempty"`
	Rows      []Row     `json:"rows"`
	Errors    []string  `json:"errors,omitempty"`
	KeptDBDSN string    `json:"kept_database,omitempty"`
}

// Machine describes where the numbers come from.
type Machine struct {
	CPUs       int    `json:"cpus"`
	GoVersion  string `json:"go"`
	OS         string `json:"os"`
	PostgreSQL string `json:"postgresql"`
	Redis      string `json:"redis"`
}

func newMachine() Machine {
	return Machine{CPUs: runtime.NumCPU(), GoVersion: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
}

// add appends a row, computing the ratio.
func (r *Report) add(row Row) {
	if row.LimitValue > 0 {
		row.Ratio = row.Value / row.LimitValue
	}
	r.Rows = append(r.Rows, row)
}

// fail records an error that makes the run fail (CI smoke test).
func (r *Report) fail(format string, args ...any) {
	r.Errors = append(r.Errors, fmt.Sprintf(format, args...))
}

func met(ok bool) *bool { return &ok }

// WriteJSON writes the report to path.
func (r *Report) WriteJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encode report: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// WriteTable prints the rows as a Markdown table (readable on a terminal
// and pasteable into docs/performance.md).
func (r *Report) WriteTable(w io.Writer) error {
	// Built in memory (writes to a strings.Builder cannot fail), then written
	// to w once, so one error check covers the whole report.
	var b strings.Builder
	fmt.Fprintf(&b, "scale %s, %d CPUs, %s, PostgreSQL %s, Redis %s, wall %.0f s\n",
		r.Scale, r.Machine.CPUs, r.Machine.GoVersion, r.Machine.PostgreSQL, r.Machine.Redis, r.WallSecs)
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	fmt.Fprintln(&b)
	tw := tabwriter.NewWriter(&b, 0, 0, 1, ' ', tabwriter.Debug)
	_, _ = fmt.Fprintln(tw, "| scenario\t case\t ibutsu\t detail\t limit (same run)\t limit value\t ratio\t target\t")
	_, _ = fmt.Fprintln(tw, "|---\t---\t---\t---\t---\t---\t---\t---\t")
	for _, row := range r.Rows {
		ratio, lim := "", ""
		if row.LimitValue > 0 {
			ratio = fmt.Sprintf("%.2f", row.Ratio)
			lu := row.LimitUnit
			if lu == "" {
				lu = row.Unit
			}
			lim = num(row.LimitValue) + " " + lu
		}
		target := row.Target
		if row.Met != nil {
			target += map[bool]string{true: " ✅ met", false: " ❌ missed"}[*row.Met]
		}
		_, _ = fmt.Fprintf(tw, "| %s\t %s\t %s %s\t %s\t %s\t %s\t %s\t %s\t\n", row.Scenario, row.Case, num(row.Value), row.Unit,
			row.Detail, row.Limit, lim, ratio, strings.TrimSpace(target))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, e := range r.Errors {
		fmt.Fprintf(&b, "ERROR: %s\n", e)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// num formats a figure with sensible precision.
func num(v float64) string {
	switch {
	case v >= 1000:
		return groupThousands(fmt.Sprintf("%.0f", v))
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

func groupThousands(s string) string {
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
