package queue

import "context"

// attemptKey carries whether the running attempt is a task's last one.
type attemptKey struct{}

// withLastAttempt marks ctx as the last attempt of its task (or not).
func withLastAttempt(ctx context.Context, last bool) context.Context {
	return context.WithValue(ctx, attemptKey{}, last)
}

// LastAttempt reports whether the handler running with ctx is the task's
// final attempt: if it fails, no retry follows. Handlers that own a record
// with a lifecycle (an import's status) use it to settle the record instead
// of leaving it "running" once the task is archived. Outside a queue it is
// true: nobody will retry a direct call.
func LastAttempt(ctx context.Context) bool {
	last, ok := ctx.Value(attemptKey{}).(bool)
	return !ok || last
}
