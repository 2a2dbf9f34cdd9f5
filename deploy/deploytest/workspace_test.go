package deploytest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// workspaceModules returns the module directories go.work uses ("pkg",
// "cmd/backend", ...), slash-separated and without the leading "./".
func workspaceModules(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "go.work"))
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	inUse := false
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		switch {
		case l == "use (":
			inUse = true
		case inUse && l == ")":
			inUse = false
		case inUse && l != "":
			dirs = append(dirs, strings.TrimPrefix(l, "./"))
		case strings.HasPrefix(l, "use "):
			dirs = append(dirs, strings.TrimPrefix(strings.TrimSpace(strings.TrimPrefix(l, "use ")), "./"))
		}
	}
	if len(dirs) < 2 {
		t.Fatalf("go.work: found modules %v; the parse is broken", dirs)
	}
	return dirs
}

// dockerIgnored reports whether .dockerignore keeps path out of the build
// context: the last pattern matching the path or one of its parent
// directories wins, and a "!" pattern lets the path back in.
func dockerIgnored(patterns []string, path string) bool {
	ignored := false
	for _, p := range patterns {
		exception := strings.HasPrefix(p, "!")
		p = strings.TrimPrefix(p, "!")
		for dir := path; dir != "."; dir = filepath.ToSlash(filepath.Dir(dir)) {
			if ok, _ := filepath.Match(p, dir); ok {
				ignored = !exception
				break
			}
		}
	}
	return ignored
}

// The Go stages of both Dockerfiles build in workspace mode, which fails
// when a module go.work names has no go.mod in the image: every module's
// go.mod must be copied before `go mod download` and must not be kept out
// of the build context by .dockerignore. A new module in go.work (a test
// harness, say) that is missed here breaks every image build.
func TestDockerfilesCopyEveryWorkspaceModule(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	var patterns []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			patterns = append(patterns, strings.TrimSuffix(l, "/"))
		}
	}
	for _, file := range []string{"Dockerfile.backend", "Dockerfile.worker"} {
		_, stages := readDockerfile(t, file)
		build := stageNamed(stages, "build")
		if build == nil {
			t.Fatalf("%s: no build stage", file)
		}
		copies := strings.Join(build.instr("COPY"), "\n")
		for _, dir := range workspaceModules(t) {
			if !strings.Contains(copies, dir+"/go.mod ") {
				t.Errorf("%s: the build stage does not COPY %s/go.mod, which go.work needs", file, dir)
			}
		}
	}
	for _, dir := range workspaceModules(t) {
		if dockerIgnored(patterns, dir+"/go.mod") {
			t.Errorf(".dockerignore keeps %s/go.mod out of the build context; go.work needs it", dir)
		}
	}
}

// The matcher above must see what Docker sees, or the check proves nothing.
func TestDockerIgnoredMatcher(t *testing.T) {
	patterns := []string{"deploy", "!deploy/deploytest/go.mod", "*.test"}
	for path, want := range map[string]bool{
		"deploy/deploytest/go.mod":      false,
		"deploy/deploytest/go.sum":      true,
		"deploy/kubernetes/x.yaml":      true,
		"pkg/go.mod":                    false,
		"resilience.test":               true,
		"test/resilience/go.mod":        false,
		"cmd/bench/internal/bench/x.go": false,
	} {
		if got := dockerIgnored(patterns, path); got != want {
			t.Errorf("dockerIgnored(%q) = %v, want %v", path, got, want)
		}
	}
}
