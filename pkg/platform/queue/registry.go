package queue

import (
	"fmt"
	"maps"
	"slices"
)

// Registry maps task types to handlers and their default options. The same
// registry configures the asynq worker and the in-process runner.
type Registry struct {
	handlers map[string]Handler
	defaults map[string][]Option
	lanes    map[string]int
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{handlers: map[string]Handler{}, defaults: map[string][]Option{}, lanes: map[string]int{}}
}

// DeclareLane sets how many tasks of lane name (see Lane) run at once, in
// every process that runs tasks; a lane not declared runs one at a time.
func (r *Registry) DeclareLane(name string, concurrency int) {
	r.lanes[name] = max(1, concurrency)
}

// Lanes lists the declared lanes and their concurrency.
func (r *Registry) Lanes() map[string]int {
	out := make(map[string]int, len(r.lanes))
	for k, v := range r.lanes {
		out[k] = v
	}
	return out
}

// laneNames lists the declared lanes, sorted.
func (r *Registry) laneNames() []string {
	return slices.Sorted(maps.Keys(r.lanes))
}

// laneSize is the concurrency of lane name.
func (r *Registry) laneSize(name string) int {
	if n, ok := r.lanes[name]; ok {
		return n
	}
	return 1
}

// Register adds a handler for typ with default options (retries, timeout...).
// Registering a type twice is a programming error and panics.
func (r *Registry) Register(typ string, h Handler, defaults ...Option) {
	if _, dup := r.handlers[typ]; dup {
		panic(fmt.Sprintf("queue: task type %q registered twice", typ))
	}
	r.handlers[typ] = h
	r.defaults[typ] = defaults
}

// Types lists the registered task types, sorted.
func (r *Registry) Types() []string {
	return slices.Sorted(maps.Keys(r.handlers))
}

// handler returns the handler for typ.
func (r *Registry) handler(typ string) (Handler, bool) {
	h, ok := r.handlers[typ]
	return h, ok
}

// options resolves the effective options for a task of typ.
func (r *Registry) options(typ string, given []Option) options {
	o := defaultOptions()
	for _, f := range r.defaults[typ] {
		f(&o)
	}
	for _, f := range given {
		f(&o)
	}
	return o
}
