package bench

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/result"
)

// TestParseProcStat: fields are counted from the last ")", so a command
// name with spaces and parentheses (a renamed PostgreSQL backend) does
// not shift them; short or non-numeric lines are errors.
func TestParseProcStat(t *testing.T) {
	line := "4321 (postgres: 15/main: postgres ibutsu_bench_ab (x) idle) S 2264 4321 4321 0 -1 4194304 512 0 0 0 137 42 9 3 20 0 1 0 3496 222543872 7643 18446744073709551615\n"
	got, err := parseProcStat([]byte(line))
	if err != nil {
		t.Fatal(err)
	}
	if want := (procStat{ppid: 2264, utime: 137, stime: 42, cutime: 9, cstime: 3}); got != want {
		t.Errorf("parseProcStat = %+v, want %+v", got, want)
	}
	if got.ticks() != 191 {
		t.Errorf("ticks = %d, want 191", got.ticks())
	}
	for _, bad := range []string{"", "12 (x S 1 2 3", "12 (x) S 1 2", "12 (x) S 1 2 3 4 5 6 7 8 9 10 x 12 13 14 15"} {
		if _, err := parseProcStat([]byte(bad)); err == nil {
			t.Errorf("parseProcStat(%q): no error", bad)
		}
	}
	// This process's own line parses, and its parent is the real one.
	self, err := readProcStat(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if self.ppid != os.Getppid() {
		t.Errorf("ppid %d, want %d", self.ppid, os.Getppid())
	}
	// The parent (go test) has threads, so only the scan finds it all.
	kids, err := childrenByScan(os.Getppid())
	if err != nil || !slices.Contains(kids, os.Getpid()) {
		t.Errorf("children of the parent = %v, %v; want this process among them", kids, err)
	}
}

// TestCPUSince: a pid's time since the start counts; a pid new since
// the start counts in full, as does a reused pid whose count went down;
// a pid gone by the end counts nothing. Schedstat's first field is
// nanoseconds.
func TestCPUSince(t *testing.T) {
	start := map[int]time.Duration{1: 100, 2: 50, 3: 70}
	end := map[int]time.Duration{1: 130, 2: 20, 4: 5}
	if got := cpuSince(start, end); got != 30+20+5 {
		t.Errorf("cpuSince = %d, want 55", got)
	}
	if got, err := parseSchedstat([]byte("564746901 70672161819 691\n")); err != nil || got != 564746901 {
		t.Errorf("parseSchedstat = %v, %v", got, err)
	}
	for _, bad := range []string{"", "x 1 2"} {
		if _, err := parseSchedstat([]byte(bad)); err == nil {
			t.Errorf("parseSchedstat(%q): no error", bad)
		}
	}
	if d, err := procCPU(os.Getpid()); err != nil || d <= 0 {
		t.Errorf("procCPU(self) = %v, %v", d, err)
	}
}

// TestLoadCost: rounds add up, per-row figures divide by the stored rows,
// the PostgreSQL figure is known only when every round knew it, and the
// CPU ratio of two loads compares per-row costs.
func TestLoadCost(t *testing.T) {
	round := loadCost{rows: 100, bench: 40 * time.Millisecond, pg: 60 * time.Millisecond, cluster: 80 * time.Millisecond, pgKnown: true,
		sqlWaits: 5, sqlWait: 10 * time.Millisecond, writer: result.WriterStats{Batches: 25, Rows: 100, QueueWait: 30 * time.Millisecond}}
	var sum loadCost
	sum = sum.add(round).add(round)
	if sum.rows != 200 || !sum.pgKnown || sum.cpu() != 1.0 || sum.count(sum.sqlWaits) != 0.05 {
		t.Errorf("sum = %+v, cpu %v", sum, sum.cpu())
	}
	want := "CPU per row: bench 0.400 ms, PG 0.600 ms (cluster 0.800 ms)"
	if got := sum.String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got := sum.apiWaits(); got != "pool waits 0.05 (0.100 ms) per row, 4.0 rows per INSERT, queue 0.300 ms per row" {
		t.Errorf("apiWaits() = %q", got)
	}
	if unknown := sum.add(loadCost{rows: 1}); unknown.pgKnown || strings.Contains(unknown.String(), "PG") {
		t.Errorf("a round without PostgreSQL figures: %+v %q", unknown, unknown.String())
	}
	dearer := loadCost{rows: 100, bench: 60 * time.Millisecond, pg: 60 * time.Millisecond, pgKnown: true}
	bench, pg, both := cpuRatio(dearer, round)
	if round3(bench) != 1.5 || round3(pg) != 1 || round3(both) != 1.2 {
		t.Errorf("cpuRatio = %v, %v, %v; want 1.5, 1, 1.2", bench, pg, both)
	}
	if _, pg, _ := cpuRatio(dearer, loadCost{rows: 100, bench: time.Millisecond}); pg != 0 {
		t.Errorf("cpuRatio without PostgreSQL figures: pg %v, want 0", pg)
	}
	row := cpuRow("x", 8, dearer, round)
	if round3(row.Value) != 1.2 || round3(row.LimitValue) != 1 || row.Met == nil || *row.Met {
		t.Errorf("cpuRow = %+v, want 1.2 against 1, missed", row)
	}
}
