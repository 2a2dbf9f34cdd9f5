// Failing Go tests whose output pins the fingerprint normalisation (see ../README.md).
package sample

import (
	"fmt"
	"os"
	"testing"
	"time"
)

func TestStatus(t *testing.T) {
	t.Errorf("GET /api/run/%d: status = %d, want 200 (at %s)", time.Now().UnixNano()%1000, 500, time.Now().UTC().Format(time.RFC3339Nano))
}

func TestPanic(t *testing.T) {
	var m map[string]int
	if len(os.Args) > 0 {
		m = nil
	}
	m["x"] = 1
	fmt.Println(m)
}
