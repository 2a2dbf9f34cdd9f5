// Package platform_test holds the layering check, depguard-style rules
// written as a test so they run with `go test` and need no linter: platform
// packages import no feature package; tasks imports only platform; a feature
// package's service and store files speak no HTTP; only tests import
// pkg/testkit. It parses the import
// clauses of every non-test .go file of the module with go/parser.
package platform_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// module is the import path of the module this test sits in.
const module = "github.com/ibutsu-go/ibutsu/pkg"

// sharedKernel are the non-platform packages platform code may import: the
// data model every layer shares (httpx checks JSON bodies with its rules).
var sharedKernel = []string{module + "/model"}

// edgeImports are what a feature package's service and store files must not
// import: HTTP belongs to http.go; services return apperr errors and
// httpx.WriteError alone turns them into responses.
var edgeImports = []string{"github.com/gin-gonic/gin", "net/http", module + "/platform/httpx"}

// layeringDebt lists offenders against the service/store rule, file
// (relative to the module) → the edge imports it still has. It is empty:
// the test fails when an entry is no longer needed. Never add to it.
var layeringDebt = map[string][]string{}

// sourceFile is one non-test .go file and its imports.
type sourceFile struct {
	rel     string // slash-separated, relative to the module root
	imports []string
}

func moduleFiles(t *testing.T) []sourceFile {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(root, "go.mod")); err != nil || !strings.Contains(string(b), "module "+module+"\n") {
		t.Fatalf("module root %s: go.mod of %s not found (%v)", root, module, err)
	}
	var out []sourceFile
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		sf := sourceFile{rel: filepath.ToSlash(rel)}
		for _, imp := range f.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				return err
			}
			sf.imports = append(sf.imports, p)
		}
		out = append(out, sf)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 100 {
		t.Fatalf("found only %d source files under %s; the walk is broken", len(out), root)
	}
	return out
}

// isPlatform reports whether an import path is platform code.
func isPlatform(p string) bool {
	return p == module+"/platform" || strings.HasPrefix(p, module+"/platform/")
}

// isProject reports whether an import path belongs to this module.
func isProject(p string) bool { return p == module || strings.HasPrefix(p, module+"/") }

// TestPlatformImportsNoFeature: platform packages are the bottom layer; a
// feature they need hands it in (an option, a registration, an interface).
func TestPlatformImportsNoFeature(t *testing.T) {
	for _, f := range moduleFiles(t) {
		if !strings.HasPrefix(f.rel, "platform/") {
			continue
		}
		for _, p := range f.imports {
			if isProject(p) && !isPlatform(p) && !slices.Contains(sharedKernel, p) {
				t.Errorf("%s imports %s: platform code must not import a feature package", f.rel, p)
			}
		}
	}
}

// TestTasksImportsNoFeature: package tasks assembles what domains register;
// the composition root (wiring) passes their schedules and handlers in.
func TestTasksImportsNoFeature(t *testing.T) {
	for _, f := range moduleFiles(t) {
		if !strings.HasPrefix(f.rel, "tasks/") {
			continue
		}
		for _, p := range f.imports {
			if isProject(p) && !isPlatform(p) {
				t.Errorf("%s imports %s: tasks must only import platform packages", f.rel, p)
			}
		}
	}
}

// TestProductionImportsNoTestkit: the test support of pkg/testkit (fresh
// databases, a whole backend behind httptest) serves tests only; a
// production file importing it would ship test scaffolding in the binaries.
func TestProductionImportsNoTestkit(t *testing.T) {
	const testkit = module + "/testkit"
	for _, f := range moduleFiles(t) {
		if strings.HasPrefix(f.rel, "testkit/") {
			continue
		}
		for _, p := range f.imports {
			if p == testkit || strings.HasPrefix(p, testkit+"/") {
				t.Errorf("%s imports %s: only tests may import pkg/testkit", f.rel, p)
			}
		}
	}
}

// isServiceOrStore reports whether a file holds a feature package's rules or
// SQL: service.go, store.go, or a split of them (service_*.go, store_*.go).
func isServiceOrStore(rel string) bool {
	if strings.HasPrefix(rel, "platform/") {
		return false
	}
	name := rel[strings.LastIndex(rel, "/")+1:]
	return name == "service.go" || name == "store.go" || strings.HasPrefix(name, "service_") || strings.HasPrefix(name, "store_")
}

// TestServicesAndStoresHaveNoHTTP: a feature package's service and store
// files import neither gin, net/http nor platform/httpx, except the debt
// listed in layeringDebt, which must shrink and never grow.
func TestServicesAndStoresHaveNoHTTP(t *testing.T) {
	for _, f := range moduleFiles(t) {
		if !isServiceOrStore(f.rel) {
			continue
		}
		debt := layeringDebt[f.rel]
		for _, p := range f.imports {
			if slices.Contains(edgeImports, p) && !slices.Contains(debt, p) {
				t.Errorf("%s imports %s: services and stores must not speak HTTP (decode in http.go, return apperr errors)", f.rel, p)
			}
		}
		for _, p := range debt {
			if !slices.Contains(f.imports, p) {
				t.Errorf("%s no longer imports %s: delete it from layeringDebt", f.rel, p)
			}
		}
	}
	// An entry for a file that is gone (renamed or split) is stale too.
	seen := map[string]bool{}
	for _, f := range moduleFiles(t) {
		seen[f.rel] = true
	}
	for rel := range layeringDebt {
		if !seen[rel] {
			t.Errorf("layeringDebt names %s, which no longer exists: delete the entry", rel)
		}
	}
}

// storeImports are what only a feature package's store files may import:
// the SQL belongs to store.go (or store_*.go).
var storeImports = []string{"gorm.io/gorm", "database/sql"}

// ginImports are what only a feature package's http files (http.go,
// http_*.go, and request.go, which holds the decoded request types) may
// import.
var ginImports = []string{"github.com/gin-gonic/gin", module + "/platform/httpx"}

// featurePackage returns the top-level package of rel when it is a feature
// package: one holding a service.go or an http.go (platform packages are
// the shared layer, not features).
func featurePackage(rel string, files map[string]bool) (string, bool) {
	dir, _, ok := strings.Cut(rel, "/")
	if !ok || dir == "platform" || strings.Contains(rel[len(dir)+1:], "/") {
		return "", false
	}
	return dir, files[dir+"/service.go"] || files[dir+"/http.go"]
}

// isHTTPFile reports whether a file name is one of a feature package's
// HTTP files.
func isHTTPFile(name string) bool {
	return name == "http.go" || strings.HasPrefix(name, "http_") || name == "request.go" || strings.HasPrefix(name, "request_")
}

// TestFeaturePackagesKeepTheirLayers: in every feature package, found by
// its service.go or http.go so a new one is covered without being listed,
// gin and httpx appear only in the http files and GORM and database/sql
// only in the store files (docs/architecture.md describes the layers).
func TestFeaturePackagesKeepTheirLayers(t *testing.T) {
	all := moduleFiles(t)
	files := map[string]bool{}
	for _, f := range all {
		files[f.rel] = true
	}
	seen := map[string]bool{}
	for _, f := range all {
		pkg, ok := featurePackage(f.rel, files)
		if !ok {
			continue
		}
		seen[pkg] = true
		name := f.rel[strings.LastIndex(f.rel, "/")+1:]
		for _, p := range f.imports {
			if slices.Contains(ginImports, p) && !isHTTPFile(name) {
				t.Errorf("%s imports %s: HTTP belongs in the package's http*.go files", f.rel, p)
			}
			if slices.Contains(storeImports, p) && !strings.HasPrefix(name, "store") {
				t.Errorf("%s imports %s: SQL belongs in the package's store*.go files", f.rel, p)
			}
		}
	}
	// The walk must find the feature packages, or the rule checks nothing.
	for _, pkg := range []string{"run", "result", "dashboard", "importer", "login", "widget", "maintenance"} {
		if !seen[pkg] {
			t.Errorf("feature package %s not found: featurePackage no longer recognises it", pkg)
		}
	}
}
