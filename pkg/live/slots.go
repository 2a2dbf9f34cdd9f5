package live

import (
	"fmt"
	"net/http"
	"sync"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
)

// Slots counts the open event streams of one backend process and refuses
// a stream beyond a cap: every open stream holds a goroutine and an event
// buffer until the client leaves, so one account (or one leaked token)
// must not be able to open thousands. The caps are per process; a
// deployment with N replicas admits up to N times as many.
type Slots struct {
	perUser, total int

	mu    sync.Mutex
	users map[uuid.UUID]int
	all   int
}

// NewSlots builds the counter; perUser caps one user's open streams,
// total everyone's (0 for either: no such cap).
func NewSlots(perUser, total int) *Slots {
	return &Slots{perUser: perUser, total: total, users: map[uuid.UUID]int{}}
}

// The two refusals name the cap that was reached, so a client (or its
// operator) knows whether closing its own streams helps.
const (
	userCapMessage  = "Too many open event streams for this user (at most %d on this server); close one and retry"
	totalCapMessage = "Too many open event streams on this server (at most %d); retry shortly"
)

// The names of the caps in a refusal's body.
const (
	CapPerUser = "per_user"
	CapTotal   = "total"
)

// full is the 429 of a reached cap: a problem body whose extension members
// name the cap and its limit.
func full(which string, limit int, format string) *apperr.Error {
	msg := fmt.Sprintf(format, limit)
	return &apperr.Error{Status: http.StatusTooManyRequests, Message: msg, Body: map[string]any{
		"type": "about:blank", "title": http.StatusText(http.StatusTooManyRequests),
		"status": http.StatusTooManyRequests, "detail": msg, "cap": which, "limit": limit,
	}}
}

// acquire takes a slot for user, or returns the 429 naming the cap reached
// first (the user's before the total's); the caller releases a taken slot.
func (s *Slots) acquire(user uuid.UUID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.perUser > 0 && s.users[user] >= s.perUser {
		return full(CapPerUser, s.perUser, userCapMessage)
	}
	if s.total > 0 && s.all >= s.total {
		return full(CapTotal, s.total, totalCapMessage)
	}
	s.users[user]++
	s.all++
	return nil
}

// release gives back a slot of user.
func (s *Slots) release(user uuid.UUID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.all--
	if s.users[user]--; s.users[user] <= 0 {
		delete(s.users, user)
	}
}

// Open reports how many streams are open on this process and how many
// users hold them (for tests and diagnostics).
func (s *Slots) Open() (streams, users int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.all, len(s.users)
}
