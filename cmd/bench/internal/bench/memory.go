package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"time"
)

// procStatus reads a "VmXxx:   1234 kB" field of /proc/self/status in MiB.
func procStatus(field string) (float64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, fmt.Errorf("read /proc/self/status: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Bytes()
		if !bytes.HasPrefix(line, []byte(field+":")) {
			continue
		}
		f := bytes.Fields(line[len(field)+1:])
		if len(f) == 0 {
			break
		}
		kb, err := strconv.ParseFloat(string(f[0]), 64)
		if err != nil {
			return 0, fmt.Errorf("parse %s: %w", field, err)
		}
		return kb / 1024, nil
	}
	return 0, fmt.Errorf("no %s in /proc/self/status", field)
}

// settle runs the GC and returns freed memory to the OS, so the RSS read
// next is the live set plus the runtime's overhead, not garbage.
func settle() {
	runtime.GC()
	debug.FreeOSMemory()
}

// resetPeak resets VmHWM to the current RSS (Linux clear_refs "5"); false
// when the kernel does not allow it, in which case the sampler's maximum is
// the figure to use.
func resetPeak() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// rssSampler records the maximum VmRSS every 20 ms between start and stop,
// as a cross-check of VmHWM (and the only peak when clear_refs is denied).
type rssSampler struct {
	stop func()
	max  float64
}

func startSampler() *rssSampler {
	s := &rssSampler{}
	s.stop = sampleEvery(context.Background(), 20*time.Millisecond, func(context.Context) {
		if v, err := procStatus("VmRSS"); err == nil && v > s.max {
			s.max = v
		}
	})
	return s
}

// Stop ends sampling and returns the peak in MiB: VmHWM when the peak could
// be reset before, else the sampled maximum.
func (s *rssSampler) Stop(peakReset bool) float64 {
	s.stop()
	if peakReset {
		if hwm, err := procStatus("VmHWM"); err == nil && hwm > s.max {
			return hwm
		}
	}
	return s.max
}
