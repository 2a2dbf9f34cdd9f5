package user

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// Replicas started together each run the bootstrap at the same moment on
// one database: every one of them starts (no unique-index error), one
// account is created, and it is created once.
func TestBootstrapOfReplicasStartingTogether(t *testing.T) {
	ctx := context.Background()
	s := stores(t)["postgres"]
	const replicas = 8
	cfg := config.Superadmin{Email: "admin@example.com", Password: "replica-password", Name: "Admin"}
	var (
		mu   sync.Mutex
		logs bytes.Buffer
	)
	log := slog.New(slog.NewJSONHandler(lockedWriter{&mu, &logs}, nil))
	errs := testdb.Together(replicas, func(int) error {
		_, _, err := Bootstrap(ctx, s, cfg, 4, false, nil, log)
		return err
	})
	for i, err := range errs {
		if err != nil {
			t.Errorf("replica %d: %v", i, err)
		}
	}
	var n int64
	if err := s.db.Conn(ctx).Model(&model.User{}).Where("email = ?", cfg.Email).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	if created := strings.Count(logs.String(), "superadmin created"); n != 1 || created != 1 {
		t.Fatalf("%d accounts, %d created by the bootstrap; want 1 and 1\n%s", n, created, logs.String())
	}
	if strings.Contains(logs.String(), "other case") {
		t.Fatalf("a replica took the racing account for another one:\n%s", logs.String())
	}
}

// lockedWriter serialises the writes of goroutines sharing one log.
type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
