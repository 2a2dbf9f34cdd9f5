// Package web holds the browser UI (React + TypeScript + PatternFly, built by
// Vite into dist/) and hands the built files to the backend binary. Go tests
// and plain `go build` need no Node: without the `embedui` build tag the
// binary carries no UI and the backend serves a small placeholder page.
package web
