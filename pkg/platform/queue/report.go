package queue

import (
	"context"
	"encoding/json"
)

// Report is the handler of a task whose whole job is run, its result the
// JSON of run's report. A feature that is off in this configuration (no
// object store, no S3 watch) still registers its task, with enabled false,
// so that a task queued by another configuration finds a handler: it
// answers {"disabled":true} and does nothing.
func Report[T any](enabled bool, run func(context.Context) (T, error)) Handler {
	return func(ctx context.Context, _ []byte) ([]byte, error) {
		if !enabled {
			return []byte(`{"disabled":true}`), nil
		}
		rep, err := run(ctx)
		if err != nil {
			return nil, err
		}
		return json.Marshal(rep)
	}
}
