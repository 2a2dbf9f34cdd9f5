package platform_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// docPath matches a repository path in backquotes: it starts at a top-level
// directory and names a file or a directory.
var docPath = regexp.MustCompile("`((?:pkg|cmd|docs|web|scripts|deploy|test)/[A-Za-z0-9_./<>-]+)`")

// docLink matches a relative Markdown link to another document.
var docLink = regexp.MustCompile(`\]\(([A-Za-z0-9_.-]+\.md)(?:#[^)]*)?\)`)

// TestArchitectureDocNamesExistingFiles: every path docs/architecture.md
// names (other than a pattern such as store_<name>.go) and every document it
// links exists, so the walk-throughs do not send a reader to a moved file.
func TestArchitectureDocNamesExistingFiles(t *testing.T) {
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(repo, "docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	paths := docPath.FindAllStringSubmatch(string(b), -1)
	if len(paths) < 20 {
		t.Fatalf("found only %d paths in docs/architecture.md; the pattern is broken", len(paths))
	}
	for _, m := range paths {
		p := strings.TrimSuffix(m[1], "/")
		if strings.ContainsAny(p, "<>*") {
			continue // a pattern, not a file
		}
		if _, err := os.Stat(filepath.Join(repo, filepath.FromSlash(p))); err != nil {
			t.Errorf("docs/architecture.md names %s, which does not exist", p)
		}
	}
	for _, m := range docLink.FindAllStringSubmatch(string(b), -1) {
		if _, err := os.Stat(filepath.Join(repo, "docs", m[1])); err != nil {
			t.Errorf("docs/architecture.md links %s, which does not exist", m[1])
		}
	}
}
