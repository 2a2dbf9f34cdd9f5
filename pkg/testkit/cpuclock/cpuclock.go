// Package cpuclock is the CPU time a benchmark's process used: on a
// machine shared with other jobs a benchmark's wall-clock time also counts
// the time other processes had the cores, its CPU time much less so.
package cpuclock

import (
	"syscall"
	"testing"
	"time"
)

// Used is the CPU time (user and system) the process used so far.
func Used(tb testing.TB) time.Duration {
	tb.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
