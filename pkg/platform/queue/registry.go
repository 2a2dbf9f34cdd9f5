package queue

import (
	"fmt"
	"sort"
)

// Registry maps task types to handlers and their default options. The same
// registry configures the asynq worker and the in-process runner.
type Registry struct {
	handlers map[string]Handler
	defaults map[string][]Option
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{handlers: map[string]Handler{}, defaults: map[string][]Option{}}
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
	out := make([]string, 0, len(r.handlers))
	for t := range r.handlers {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
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
