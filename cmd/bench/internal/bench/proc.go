package bench

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"
)

// CPU time from Linux's /proc, counted rather than timed: a load's
// CPU-seconds per stored row do not change when other work on a shared
// machine slows the load down, where its rate does.

// clockTicks is Linux's USER_HZ, the unit of /proc/<pid>/stat's times; it
// is 100 on every architecture Go supports on Linux (sysconf(_SC_CLK_TCK)
// needs cgo).
const clockTicks = 100

// procStat is what the benchmark reads from /proc/<pid>/stat: the parent
// and the process's own and its reaped children's CPU time, in ticks.
type procStat struct {
	ppid                         int
	utime, stime, cutime, cstime int64
}

// ticks is the process's CPU time including its reaped children's: a
// PostgreSQL backend that exited during a load leaves its time in the
// postmaster's cutime/cstime, so the cluster's sum does not drop.
func (p procStat) ticks() int64 { return p.utime + p.stime + p.cutime + p.cstime }

// parseProcStat reads /proc/<pid>/stat's text (proc(5)). The command name,
// field 2, is in parentheses and may itself hold spaces and ")" (a
// PostgreSQL backend renames itself), so the fields are counted from the
// last ")": ppid is field 4, utime..cstime fields 14–17.
func parseProcStat(b []byte) (procStat, error) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return procStat{}, fmt.Errorf("proc stat %.40q: no command name", b)
	}
	f := bytes.Fields(b[i+1:])
	// f[0] is field 3 (state), so field n is f[n-3].
	if len(f) < 15 {
		return procStat{}, fmt.Errorf("proc stat %.40q: %d fields after the name, want ≥ 15", b, len(f))
	}
	var v [5]int64
	for k, n := range []int{4, 14, 15, 16, 17} {
		x, err := strconv.ParseInt(string(f[n-3]), 10, 64)
		if err != nil {
			return procStat{}, fmt.Errorf("proc stat field %d: %w", n, err)
		}
		v[k] = x
	}
	return procStat{ppid: int(v[0]), utime: v[1], stime: v[2], cutime: v[3], cstime: v[4]}, nil
}

func readProcStat(pid int) (procStat, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procStat{}, err
	}
	return parseProcStat(b)
}

// clusterCPU is the CPU time of a PostgreSQL cluster: its postmaster's
// own and reaped children's, plus every live child's (backends, WAL
// writer, checkpointer…).
func clusterCPU(postmaster int) (time.Duration, error) {
	pm, err := readProcStat(postmaster)
	if err != nil {
		return 0, err
	}
	own, err := procCPU(postmaster)
	if err != nil {
		return 0, err
	}
	total := own + ticksDuration(pm.cutime+pm.cstime)
	kids, err := children(postmaster)
	if err != nil {
		return 0, err
	}
	for _, pid := range kids {
		if d, err := procCPU(pid); err == nil {
			total += d // a child gone meanwhile has its time in the postmaster's cutime
		}
	}
	return total, nil
}

// procCPU is a single-threaded process's own CPU time (PostgreSQL's
// processes are): the nanoseconds on CPU of its main thread from
// /proc/<pid>/schedstat when the kernel keeps them, else utime+stime from
// its stat in 10 ms ticks. The ticks are too coarse for a load's share of
// twenty backends (each delta is off by up to a tick, 10 ms, against some
// 60 ms a backend spends in a small round).
func procCPU(pid int) (time.Duration, error) {
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/schedstat", pid)); err == nil {
		if d, err := parseSchedstat(b); err == nil {
			return d, nil
		}
	}
	p, err := readProcStat(pid)
	if err != nil {
		return 0, err
	}
	return ticksDuration(p.utime + p.stime), nil
}

// parseSchedstat reads the first field of /proc/<pid>/schedstat: the
// time spent on CPU, in nanoseconds.
func parseSchedstat(b []byte) (time.Duration, error) {
	f := bytes.Fields(b)
	if len(f) == 0 {
		return 0, fmt.Errorf("empty schedstat")
	}
	ns, err := strconv.ParseInt(string(f[0]), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("schedstat: %w", err)
	}
	return time.Duration(ns), nil
}

// children lists pid's child processes: from /proc/<pid>/task/<pid>/children
// (the postmaster is single-threaded, so its main thread's children are
// all of them), else by scanning /proc for the parent pid (kernels without
// CONFIG_PROC_CHILDREN), which costs a read per process.
func children(pid int) ([]int, error) {
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid)); err == nil {
		return parsePIDs(b), nil
	}
	return childrenByScan(pid)
}

// childrenByScan is children without the children file.
func childrenByScan(pid int) ([]int, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, err
	}
	var out []int
	for _, d := range entries {
		if c, err := strconv.Atoi(d.Name()); err == nil {
			if p, err := readProcStat(c); err == nil && p.ppid == pid {
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// parsePIDs reads a space-separated list of pids, skipping anything else.
func parsePIDs(b []byte) []int {
	var out []int
	for _, f := range bytes.Fields(b) {
		if pid, err := strconv.Atoi(string(f)); err == nil {
			out = append(out, pid)
		}
	}
	return out
}

// pidCPU reads the CPU time of each of pids; a pid that has exited
// meanwhile is left out.
func pidCPU(pids []int) map[int]time.Duration {
	out := make(map[int]time.Duration, len(pids))
	for _, pid := range pids {
		if d, err := procCPU(pid); err == nil {
			out[pid] = d
		}
	}
	return out
}

// cpuSince is the CPU time the processes of end spent since start: a
// pid new since start (a pool opened a connection) counts all its time,
// one whose count dropped (the pid was reused) counts its new time; a pid
// gone by the end is lost, which the pools' long-lived connections make
// rare.
func cpuSince(start, end map[int]time.Duration) time.Duration {
	var d time.Duration
	for pid, t := range end {
		if s, ok := start[pid]; ok && s <= t {
			d += t - s
		} else {
			d += t
		}
	}
	return d
}

func ticksDuration(t int64) time.Duration { return time.Duration(t) * time.Second / clockTicks }

// selfCPU is this process's user+system CPU time so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
