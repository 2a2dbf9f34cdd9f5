package backend

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
)

// jwtSecret returns the configured JWT secret. In the embedded mode without
// one, a random secret is generated once and kept in the data directory so
// tokens survive restarts.
func jwtSecret(cfg *config.Config) (string, error) {
	if cfg.JWT.Secret != "" {
		return cfg.JWT.Secret, nil
	}
	if cfg.Database.UsesPostgres() {
		return "", errors.New("JWT_SECRET: required when PostgreSQL is configured")
	}
	path := filepath.Join(cfg.DataDir, "jwt-secret")
	if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) >= 32 {
		return strings.TrimSpace(string(b)), nil
	}
	var buf [32]byte
	if _, err := rand.Read(buf[:]); err != nil {
		return "", fmt.Errorf("generate JWT secret: %w", err)
	}
	s := hex.EncodeToString(buf[:])
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return "", fmt.Errorf("create data directory: %w", err)
	}
	if err := os.WriteFile(path, []byte(s+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("store generated JWT secret: %w", err)
	}
	return s, nil
}
