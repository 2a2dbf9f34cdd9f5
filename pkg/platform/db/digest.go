package db

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
)

// MigrationsDigest is a SHA-256, in hex, of every migration file of both
// dialects, names and contents: two binaries with the same digest build the
// same schema. Tests name a migrated template database by it, so a database
// migrated once is cloned for every test until a migration changes.
func MigrationsDigest() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrationFiles, "migrations", func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		body, err := fs.ReadFile(migrationFiles, path)
		if err != nil {
			return err
		}
		// Name and length first, so no two file sets hash alike by moving bytes between files.
		_, _ = fmt.Fprintf(h, "%s\x00%d\x00", path, len(body))
		_, _ = h.Write(body)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("migrations digest: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
