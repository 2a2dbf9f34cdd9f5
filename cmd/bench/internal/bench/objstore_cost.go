package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// What an object put costs the machine, counted rather than timed. The
// objstore load is CPU-bound on a small machine (the bench process, the S3
// server and PostgreSQL share its cores), so a load's rate is about the
// inverse of its CPU per object, and the CPU figures, unlike the rates, do
// not move when other work on a shared machine slows a round down. Each
// write load's CPU is counted in three places: the bench process (the load
// generator, the backend or the bare proxy, the SDK's client), the
// benchmark database's PostgreSQL backends (when PostgreSQL is local) and
// the S3 server (when it listens on this machine; other clients of a
// shared server count too, so its figure is an upper bound).

// objCost is what one or more runs of a write load cost.
type objCost struct {
	loadCost
	s3      time.Duration
	s3Known bool
}

func (c objCost) add(o objCost) objCost {
	return objCost{loadCost: c.loadCost.add(o.loadCost), s3: c.s3 + o.s3, s3Known: (c.s3Known || c.rows == 0) && o.s3Known}
}

// total is the CPU per object of every process counted.
func (c objCost) total() float64 { return c.perRow(c.bench + c.pg + c.s3) }

// String is the load's CPU per object, for a row's detail.
func (c objCost) String() string {
	s := fmt.Sprintf("bench %.2f", c.perRow(c.bench))
	if c.pgKnown {
		s += fmt.Sprintf(" + PG %.2f", c.perRow(c.pg))
	}
	if c.s3Known {
		s += fmt.Sprintf(" + S3 server %.2f", c.perRow(c.s3))
	}
	return s + fmt.Sprintf(" = %.2f ms", c.total())
}

// costed runs a write load of n objects and counts its CPU.
func (e *Env) costed(ctx context.Context, n int, load func(context.Context) (time.Duration, error)) (time.Duration, objCost, error) {
	m, err := e.costStart(ctx)
	if err != nil {
		return 0, objCost{}, err
	}
	s3Start, s3Err := e.s3CPU()
	d, err := load(ctx)
	if err != nil {
		return d, objCost{}, err
	}
	s3End, s3EndErr := e.s3CPU()
	c, err := e.costSince(ctx, m, n)
	if err != nil {
		return d, objCost{}, err
	}
	oc := objCost{loadCost: c, s3Known: s3Err == nil && s3EndErr == nil}
	if oc.s3Known {
		oc.s3 = s3End - s3Start
	}
	return d, oc, nil
}

// s3CPU is the S3 server's CPU time so far, when it runs here.
func (e *Env) s3CPU() (time.Duration, error) {
	if e.s3PID == 0 {
		return 0, fmt.Errorf("the S3 server is not a process here")
	}
	return threadsCPU(e.s3PID)
}

// locateS3 finds the process that listens on the S3 endpoint's port of
// 127.0.0.1 or localhost (0 when none here: a remote store).
func locateS3(endpoint string) int {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost" && u.Hostname() != "::1") {
		return 0
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil {
		return 0
	}
	inodes := map[string]bool{}
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(f)
		if err == nil {
			for _, in := range listeningInodes(b, port) {
				inodes[in] = true
			}
		}
	}
	if len(inodes) == 0 {
		return 0
	}
	procs, _ := filepath.Glob("/proc/[0-9]*/fd")
	for _, fd := range procs {
		links, err := os.ReadDir(fd)
		if err != nil {
			continue
		}
		for _, l := range links {
			t, err := os.Readlink(filepath.Join(fd, l.Name()))
			if err == nil && strings.HasPrefix(t, "socket:[") && inodes[strings.TrimSuffix(strings.TrimPrefix(t, "socket:["), "]")] {
				pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(fd)))
				if pid == os.Getpid() {
					return 0
				}
				return pid
			}
		}
	}
	return 0
}

// listeningInodes reads /proc/net/tcp's text (proc(5)) for the sockets
// listening (state 0A) on port, and returns their inodes.
func listeningInodes(b []byte, port int) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 10 || f[3] != "0A" {
			continue
		}
		_, hexPort, ok := strings.Cut(f[1], ":")
		if p, err := strconv.ParseInt(hexPort, 16, 32); ok && err == nil && int(p) == port {
			out = append(out, f[9])
		}
	}
	return out
}

// threadsCPU is a multi-threaded process's CPU time: the sum of its
// threads' nanoseconds on CPU (/proc/<pid>/task/*/schedstat), else its
// utime+stime in ticks. Threads that exited during a load take their time
// with them in the first; the S3 server's are long-lived.
func threadsCPU(pid int) (time.Duration, error) {
	tasks, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	if err == nil && len(tasks) > 0 {
		var total time.Duration
		for _, t := range tasks {
			b, err := os.ReadFile(t)
			if err != nil {
				continue // the thread ended
			}
			d, err := parseSchedstat(b)
			if err != nil {
				return 0, err
			}
			total += d
		}
		return total, nil
	}
	p, err := readProcStat(pid)
	if err != nil {
		return 0, err
	}
	return ticksDuration(p.utime + p.stime), nil
}
