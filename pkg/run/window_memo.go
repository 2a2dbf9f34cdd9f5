package run

import (
	"sync"
	"time"

	"github.com/google/uuid"
)

// windowMemoLimit bounds the memo: past it, entries of older windows are
// dropped (the current window's stay, a new run is still remembered).
const windowMemoLimit = 10_000

// windowMemo records, per run, the newest debounce window whose update task
// is known to be queued. Its zero value is ready to use and safe for
// concurrent use. It only ever saves work: a run it forgets is enqueued
// again and the queue's task id drops the duplicate.
type windowMemo struct {
	mu   sync.Mutex
	runs map[uuid.UUID]time.Time
}

// has reports whether run's task for window is already queued.
func (m *windowMemo) has(run uuid.UUID, window time.Time) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	w, ok := m.runs[run]
	return ok && w.Equal(window)
}

// add records that run's task for window is queued.
func (m *windowMemo) add(run uuid.UUID, window time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.runs == nil {
		m.runs = map[uuid.UUID]time.Time{}
	}
	if len(m.runs) >= windowMemoLimit {
		for id, w := range m.runs {
			if w.Before(window) {
				delete(m.runs, id)
			}
		}
		if len(m.runs) >= windowMemoLimit {
			clear(m.runs)
		}
	}
	m.runs[run] = window
}
