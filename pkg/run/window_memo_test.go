package run

import (
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestWindowMemo(t *testing.T) {
	var m windowMemo
	a, b := uuid.New(), uuid.New()
	w1 := time.Unix(1000, 0)
	w2 := w1.Add(SummaryWindow)
	if m.has(a, w1) {
		t.Fatal("empty memo knows a run")
	}
	m.add(a, w1)
	if !m.has(a, w1) || m.has(a, w2) || m.has(b, w1) {
		t.Fatal("memo must know exactly run a in window 1")
	}
	m.add(a, w2)
	if m.has(a, w1) || !m.has(a, w2) {
		t.Fatal("a newer window replaces the older one")
	}
}

func TestWindowMemoStaysBounded(t *testing.T) {
	var m windowMemo
	old, cur := time.Unix(1000, 0), time.Unix(2000, 0)
	for range windowMemoLimit {
		m.add(uuid.New(), old)
	}
	keep := uuid.New()
	m.add(keep, cur) // over the limit: the old window's entries go
	if len(m.runs) != 1 || !m.has(keep, cur) {
		t.Fatalf("memo holds %d runs after pruning, want only the new one", len(m.runs))
	}
	for range windowMemoLimit + 5 {
		m.add(uuid.New(), cur) // all current: cleared when full
	}
	if len(m.runs) > windowMemoLimit {
		t.Fatalf("memo grew to %d", len(m.runs))
	}
}

func TestWindowMemoConcurrent(t *testing.T) {
	var m windowMemo
	run, w := uuid.New(), time.Unix(1000, 0)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 1000 {
				m.add(run, w)
				_ = m.has(run, w)
			}
		})
	}
	wg.Wait()
	if !m.has(run, w) {
		t.Fatal("run forgotten")
	}
}
