// Package logbuf is a log destination a test reads back while the code
// under test may still be writing to it from its own goroutines (a worker,
// a scheduler, a server started with go Run(...)): a bytes.Buffer behind a
// mutex, and the JSON records it holds.
package logbuf

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"sync"
	"testing"
)

// Buffer collects log output; its zero value is ready to use and it must
// not be copied once written to.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p; slog handlers write one whole record a call, so a
// reader never sees half a line.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// String is everything written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// JSONLogger is a logger writing JSON records (at Info and above) into b,
// for Records and Find to read.
func (b *Buffer) JSONLogger() *slog.Logger { return slog.New(slog.NewJSONHandler(b, nil)) }

// Records is every record written so far, in order. A line that is not a
// JSON object fails the test: the buffer is meant for a JSON handler.
func (b *Buffer) Records(t testing.TB) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range bytes.Split(bytes.TrimSpace([]byte(b.String())), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var r map[string]any
		if err := json.Unmarshal(line, &r); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, r)
	}
	return out
}

// Find is the records whose msg is msg, in order.
func (b *Buffer) Find(t testing.TB, msg string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, r := range b.Records(t) {
		if r["msg"] == msg {
			out = append(out, r)
		}
	}
	return out
}
