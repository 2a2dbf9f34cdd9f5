// Package openapi holds the server's OpenAPI 3 document, split into one
// fragment per area of the API, and serves it with Swagger UI.
//
// The document exists so that clients generated from upstream's spec, people
// reading /api/ui/ and the compatibility tests all see one description of the
// wire contract. Each domain of the server mounts its own routes, so the
// document is assembled from the areas a binary actually mounts (Load) and a
// test can check that the router's routes and the document's operations are
// the same set (Paths). ValidateResponse lets tests assert that real
// responses match the document.
package openapi

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"sigs.k8s.io/yaml"
)

// specFS holds the base document and the per-area path fragments.
//
//go:embed spec/base.yaml spec/paths/*.yaml
var specFS embed.FS

const (
	baseFile  = "spec/base.yaml"
	pathsDir  = "spec/paths"
	extension = ".yaml"
)

// The areas of the API, one per fragment under spec/paths. Each names the
// routes one domain of the server mounts, so that domain's wiring can ask for
// exactly its part of the document.
const (
	AreaAdmin         = "admin"          // /admin/user*, /admin/project*
	AreaArtifacts     = "artifacts"      // /artifact*
	AreaDashboards    = "dashboards"     // /dashboard*
	AreaGroups        = "groups"         // /group*
	AreaHealth        = "health"         // /health*
	AreaImports       = "imports"        // /import*
	AreaLogin         = "login"          // /login* (public)
	AreaProjects      = "projects"       // /project*
	AreaResults       = "results"        // /result*, /results/bulk-update
	AreaRuns          = "runs"           // /run*, /runs/bulk-update
	AreaTasks         = "tasks"          // /task/{id}
	AreaUser          = "user"           // /user, /user/token*
	AreaWidgetConfigs = "widget_configs" // /widget-config*
	AreaWidgets       = "widgets"        // /widget/types, /widget/{id}
	AreaWebhooks      = "webhooks"       // /project/{id}/webhooks*
)

// readingOrder is the order areas are merged in, which is the order of their
// tags in Swagger UI: the resources clients post first, administration last.
var readingOrder = []string{
	AreaResults, AreaRuns, AreaArtifacts, AreaImports, AreaProjects, AreaDashboards, AreaWidgetConfigs,
	AreaWidgets, AreaWebhooks, AreaGroups, AreaTasks, AreaUser, AreaLogin, AreaHealth, AreaAdmin,
}

// inReadingOrder sorts areas by readingOrder (areas it omits go last).
func inReadingOrder(areas []string) []string {
	out := slices.Clone(areas)
	rank := func(a string) int {
		if i := slices.Index(readingOrder, a); i >= 0 {
			return i
		}
		return len(readingOrder)
	}
	sort.SliceStable(out, func(i, j int) bool { return rank(out[i]) < rank(out[j]) })
	return out
}

// Areas lists the names of every fragment, sorted, so callers and tests can
// load or check the whole API without repeating the list.
func Areas() []string {
	entries, err := fs.ReadDir(specFS, pathsDir)
	if err != nil {
		// The directory is embedded at build time; it cannot be missing.
		panic(fmt.Sprintf("openapi: embedded %s: %v", pathsDir, err))
	}
	out := make([]string, 0, len(entries))
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), extension); ok && !e.IsDir() {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Document is the merged, validated document of some areas, kept both parsed
// (for routing and validation) and serialised (for serving).
type Document struct {
	spec     *openapi3.T
	router   routers.Router
	areas    []string
	json     []byte
	yaml     []byte
	basePath string
}

// Load merges the base document with the named areas' fragments (all of them
// when none is named) and validates the result. It fails on an unknown area,
// on two fragments defining the same path or different components under one
// name, and on a document kin-openapi finds invalid.
//
// The document of an area set is built once per process and shared: it is
// made from embedded, read-only files, a Document is never changed after
// Load, and building one (YAML, conversion, validation, router) is costly
// enough that a process building many servers, such as a test binary,
// spent a fifth of its CPU doing it again.
func Load(areas ...string) (*Document, error) {
	key := strings.Join(areas, ",")
	once, _ := documents.LoadOrStore(key, sync.OnceValues(func() (*Document, error) { return load(areas) }))
	return once.(func() (*Document, error))()
}

// documents holds one memoised Load per area list (see Load).
var documents sync.Map

// load builds the document of Load.
func load(areas []string) (*Document, error) {
	if len(areas) == 0 {
		areas = Areas()
	}
	known := Areas()
	seen := map[string]bool{}
	var picked []string
	for _, a := range areas {
		if !slices.Contains(known, a) {
			return nil, fmt.Errorf("openapi: unknown area %q (known: %s)", a, strings.Join(known, ", "))
		}
		if !seen[a] {
			seen[a] = true
			picked = append(picked, a)
		}
	}
	sort.Strings(picked)

	merged, err := readYAML(baseFile)
	if err != nil {
		return nil, err
	}
	for _, a := range inReadingOrder(picked) {
		frag, err := readYAML(path.Join(pathsDir, a+extension))
		if err != nil {
			return nil, err
		}
		if err := mergeFragment(merged, frag); err != nil {
			return nil, fmt.Errorf("openapi: area %s: %w", a, err)
		}
	}

	jsonDoc, err := json.Marshal(merged)
	if err != nil {
		return nil, fmt.Errorf("openapi: encode merged document: %w", err)
	}
	yamlDoc, err := yaml.JSONToYAML(jsonDoc)
	if err != nil {
		return nil, fmt.Errorf("openapi: convert merged document to YAML: %w", err)
	}

	loader := openapi3.NewLoader()
	spec, err := loader.LoadFromData(jsonDoc)
	if err != nil {
		return nil, fmt.Errorf("openapi: parse merged document: %w", err)
	}
	if err := spec.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi: invalid document: %w", err)
	}
	router, err := gorillamux.NewRouter(spec)
	if err != nil {
		return nil, fmt.Errorf("openapi: build router: %w", err)
	}
	base := ""
	if len(spec.Servers) > 0 {
		base = strings.TrimSuffix(spec.Servers[0].URL, "/")
	}
	return &Document{
		spec:     spec,
		router:   router,
		areas:    picked,
		json:     append(jsonDoc, '\n'),
		yaml:     yamlDoc,
		basePath: base,
	}, nil
}

// Areas returns the areas this document was loaded with, sorted.
func (d *Document) Areas() []string { return slices.Clone(d.areas) }

// Spec returns the parsed document for callers that need more than Paths and
// ValidateResponse (e.g. request validation in tests). It must not be changed.
func (d *Document) Spec() *openapi3.T { return d.spec }

// JSON returns the document as served at /api/openapi.json.
func (d *Document) JSON() []byte { return bytes.Clone(d.json) }

// YAML returns the document as served at /api/openapi.yaml.
func (d *Document) YAML() []byte { return bytes.Clone(d.yaml) }

// BasePath is the path every operation is relative to (servers[0].url, "/api").
func (d *Document) BasePath() string { return d.basePath }

// readYAML parses one embedded YAML file into generic JSON values.
func readYAML(name string) (map[string]any, error) {
	raw, err := specFS.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("openapi: read %s: %w", name, err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("openapi: parse %s: %w", name, err)
	}
	if doc == nil {
		return nil, fmt.Errorf("openapi: %s is empty", name)
	}
	return doc, nil
}

// fragmentKeys are the top-level keys a fragment may hold.
var fragmentKeys = []string{"paths", "components", "tags"}

// errConflict marks a fragment that redefines something already merged.
var errConflict = errors.New("conflicting definition")

// mergeFragment adds a fragment's paths, components and tags to doc.
func mergeFragment(doc, frag map[string]any) error {
	for k := range frag {
		if !slices.Contains(fragmentKeys, k) {
			return fmt.Errorf("unexpected top-level key %q (a fragment holds only %s)", k, strings.Join(fragmentKeys, ", "))
		}
	}
	paths, err := objectAt(doc, "paths")
	if err != nil {
		return err
	}
	fragPaths, _ := frag["paths"].(map[string]any)
	if len(fragPaths) == 0 {
		return errors.New("no paths")
	}
	for p, item := range fragPaths {
		if _, dup := paths[p]; dup {
			return fmt.Errorf("path %s: %w (defined by another area)", p, errConflict)
		}
		paths[p] = item
	}

	if fc, ok := frag["components"].(map[string]any); ok {
		comps, err := objectAt(doc, "components")
		if err != nil {
			return err
		}
		for section, entries := range fc {
			m, ok := entries.(map[string]any)
			if !ok {
				return fmt.Errorf("components.%s is not a mapping", section)
			}
			dst, err := objectAt(comps, section)
			if err != nil {
				return err
			}
			for name, v := range m {
				if old, dup := dst[name]; dup && !reflect.DeepEqual(old, v) {
					return fmt.Errorf("components.%s.%s: %w", section, name, errConflict)
				}
				dst[name] = v
			}
		}
	}

	if ft, ok := frag["tags"].([]any); ok {
		tags, _ := doc["tags"].([]any)
		for _, t := range ft {
			name := tagName(t)
			if name == "" {
				return errors.New("a tag has no name")
			}
			if !slices.ContainsFunc(tags, func(x any) bool { return tagName(x) == name }) {
				tags = append(tags, t)
			}
		}
		doc["tags"] = tags
	}
	return nil
}

// objectAt returns m[key] as a mapping, creating it when absent.
func objectAt(m map[string]any, key string) (map[string]any, error) {
	switch v := m[key].(type) {
	case nil:
		obj := map[string]any{}
		m[key] = obj
		return obj, nil
	case map[string]any:
		return v, nil
	default:
		return nil, fmt.Errorf("%s is not a mapping", key)
	}
}

func tagName(t any) string {
	m, _ := t.(map[string]any)
	s, _ := m["name"].(string)
	return s
}
