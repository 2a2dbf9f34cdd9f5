package resilience

import (
	"context"
	"time"
)

// Pace hands out perSecond tokens a second on the returned channel until
// ctx ends. Tokens nobody takes are dropped, so a slow server is not
// flooded with a backlog once it catches up.
func Pace(ctx context.Context, perSecond float64) <-chan time.Time {
	ch := make(chan time.Time, int(perSecond/10)+1)
	go func() {
		const tick = 10 * time.Millisecond
		t := time.NewTicker(tick)
		defer t.Stop()
		owed := 0.0
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				owed += perSecond * tick.Seconds()
				for ; owed >= 1; owed-- {
					select {
					case ch <- now:
					default:
					}
				}
			}
		}
	}()
	return ch
}
