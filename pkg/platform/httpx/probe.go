package httpx

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// ProbeFunc checks one dependency for a health endpoint.
type ProbeFunc func(ctx context.Context) error

// HealthMux is the tiny HTTP surface of the worker and scheduler: /healthz
// answers 200 {"status":"OK"} when every probe passes, else 503 naming the
// failed check. /metrics is added by the caller when wanted.
func HealthMux(probes map[string]ProbeFunc) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		status, body := http.StatusOK, map[string]string{"status": "OK", "message": "Service is running"}
		for name, p := range probes {
			if err := p(ctx); err != nil {
				status, body = http.StatusServiceUnavailable, map[string]string{"status": "Error", "message": name + " is unreachable"}
				break
			}
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(body)
	})
	return mux
}
