package queue

import (
	"context"
	"encoding/json"
)

// Counted is the handler of a task that ignores its payload, does its work
// with fn and keeps how many things it did as its result, {"<key>": n}.
// It exists because the periodic housekeeping tasks each spelled out this
// wrapper around their counting function.
func Counted(key string, fn func(context.Context) (int, error)) Handler {
	return func(ctx context.Context, _ []byte) ([]byte, error) {
		n, err := fn(ctx)
		if err != nil {
			return nil, err
		}
		return json.Marshal(map[string]int{key: n})
	}
}
