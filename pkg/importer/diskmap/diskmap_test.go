package diskmap

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestMap: on disk and in memory the map answers the same, through
// overwrites, deletes, long values and colliding chains, and Close leaves
// no file behind.
func TestMap(t *testing.T) {
	dir := t.TempDir()
	for name, m := range map[string]*Map{"disk": New(dir), "memory": New(dir + "/missing")} {
		if m.OnDisk() != (name == "disk") {
			t.Fatalf("%s: OnDisk %v", name, m.OnDisk())
		}
		const n = 20000 // about 760 buckets hold two entries or more
		for i := range n {
			if err := m.Put(fmt.Sprint("k", i), []byte(fmt.Sprint("v", i))); err != nil {
				t.Fatal(err)
			}
		}
		long := strings.Repeat("x", pendingSize+10000) // larger than the write buffer
		for _, err := range []error{m.Put("k7", []byte("seven")), m.Put("long", []byte(long)), m.Delete("k8"), m.Delete("never there"), m.Put("", nil)} {
			if err != nil {
				t.Fatal(err)
			}
		}
		for i := range n {
			v, ok, err := m.Get(fmt.Sprint("k", i))
			want := fmt.Sprint("v", i)
			switch i {
			case 7:
				want = "seven"
			case 8:
				want = ""
			}
			if err != nil || ok != (i != 8) || string(v) != want {
				t.Fatalf("%s: Get(k%d) = %q %v %v, want %q", name, i, v, ok, err, want)
			}
		}
		if v, ok, _ := m.Get("long"); !ok || string(v) != long {
			t.Errorf("%s: long value %d bytes %v", name, len(v), ok)
		}
		if v, ok, _ := m.Get(""); !ok || len(v) != 0 {
			t.Errorf("%s: empty key %q %v", name, v, ok)
		}
		if _, ok, _ := m.Get("k" + fmt.Sprint(n)); ok {
			t.Errorf("%s: a key never put is present", name)
		}
		if err := m.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("files left behind: %v", left)
	}
}
