// Package tasks wires the background task types into a queue registry and
// lists the periodic schedule. Domain packages own their task handlers; this
// package only assembles them, so the worker, the scheduler and the embedded
// backend all run the same set.
package tasks

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
)

// TypePing is a harmless task that proves the path enqueue → worker → result.
const TypePing = "system.ping"

// PingPayload is what a ping carries; the result echoes it with a timestamp.
type PingPayload struct {
	Message string `json:"message"`
}

// PingResult is the stored result of a ping.
type PingResult struct {
	Message string    `json:"message"`
	PongAt  time.Time `json:"pong_at"`
}

// RegisterPing adds the ping task.
func RegisterPing(reg *queue.Registry, log *slog.Logger) {
	reg.Register(TypePing, func(ctx context.Context, payload []byte) ([]byte, error) {
		var p PingPayload
		if len(payload) > 0 {
			if err := queue.DecodePayload("ping", payload, &p); err != nil {
				return nil, err
			}
		}
		log.Debug("ping task ran", "message", p.Message)
		return json.Marshal(PingResult{Message: p.Message, PongAt: time.Now().UTC()})
	}, queue.MaxRetry(1), queue.Timeout(10*time.Second), queue.Retention(time.Hour))
}
