package deploytest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
)

const root = "../.."

type obj = map[string]any

// get walks maps by key and lists by index ("0").
func get(v any, path ...string) any {
	for _, p := range path {
		switch t := v.(type) {
		case map[string]any:
			v = t[p]
		case []any:
			var i int
			if _, err := fmt.Sscanf(p, "%d", &i); err != nil || i >= len(t) {
				return nil
			}
			v = t[i]
		default:
			return nil
		}
	}
	return v
}

func str(v any, path ...string) string { s, _ := get(v, path...).(string); return s }
func list(v any, path ...string) []any { l, _ := get(v, path...).([]any); return l }
func mapOf(v any, path ...string) obj  { m, _ := get(v, path...).(map[string]any); return m }
func name(o obj) string                { return str(o, "metadata", "name") }
func kindName(o obj) string            { return o["kind"].(string) + "/" + name(o) }

// manifestSet is every object of one flavour (OpenShift or Kubernetes) plus,
// for OpenShift, the template each came from.
type manifestSet struct {
	flavour string
	objs    []obj
	from    map[string]string // kind/name -> file
	params  map[string]map[string]string
}

func (s *manifestSet) byKind(kind string) []obj {
	var out []obj
	for _, o := range s.objs {
		if o["kind"] == kind {
			out = append(out, o)
		}
	}
	return out
}

func (s *manifestSet) find(kind, n string) obj {
	for _, o := range s.byKind(kind) {
		if name(o) == n {
			return o
		}
	}
	return nil
}

var docSep = regexp.MustCompile(`(?m)^---\s*$`)

func parseFile(t *testing.T, path string) []obj {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []obj
	for i, doc := range docSep.Split(string(b), -1) {
		if strings.TrimSpace(stripComments(doc)) == "" {
			continue
		}
		var o obj
		if err := yaml.Unmarshal([]byte(doc), &o); err != nil {
			t.Fatalf("%s: document %d: %v", path, i, err)
		}
		for _, k := range []string{"kind", "apiVersion"} {
			if _, ok := o[k].(string); !ok {
				t.Fatalf("%s: document %d has no %s", path, i, k)
			}
		}
		out = append(out, o)
	}
	return out
}

func stripComments(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

func loadOCP(t *testing.T) *manifestSet {
	t.Helper()
	s := &manifestSet{flavour: "ocp", from: map[string]string{}, params: map[string]map[string]string{}}
	files, _ := filepath.Glob(filepath.Join(root, "deploy/ocp-templates/*.yaml"))
	if len(files) == 0 {
		t.Fatal("no OpenShift templates")
	}
	for _, f := range files {
		docs := parseFile(t, f)
		if len(docs) != 1 || docs[0]["kind"] != "Template" {
			t.Fatalf("%s: want exactly one Template", f)
		}
		tpl := docs[0]
		if str(tpl, "apiVersion") != "template.openshift.io/v1" {
			t.Errorf("%s: apiVersion %q", f, str(tpl, "apiVersion"))
		}
		ps := map[string]string{}
		for _, p := range list(tpl, "parameters") {
			ps[str(p, "name")] = str(p, "value")
		}
		s.params[filepath.Base(f)] = ps
		for i, o := range list(tpl, "objects") {
			m, ok := o.(obj)
			if !ok || str(m, "kind") == "" || str(m, "apiVersion") == "" || name(m) == "" {
				t.Fatalf("%s: object %d lacks kind/apiVersion/metadata.name", f, i)
			}
			s.objs = append(s.objs, m)
			s.from[kindName(m)] = filepath.Base(f)
		}
	}
	return s
}

func loadK8s(t *testing.T) *manifestSet {
	t.Helper()
	s := &manifestSet{flavour: "kubernetes", from: map[string]string{}}
	for _, f := range kustomizeResources(t) {
		for _, o := range parseFile(t, filepath.Join(root, "deploy/kubernetes", f)) {
			if name(o) == "" {
				t.Fatalf("%s: %s without metadata.name", f, o["kind"])
			}
			s.objs = append(s.objs, o)
			s.from[kindName(o)] = f
		}
	}
	return s
}

func kustomizeResources(t *testing.T) []string {
	t.Helper()
	k := parseFile(t, filepath.Join(root, "deploy/kubernetes/kustomization.yaml"))
	if len(k) != 1 || k[0]["kind"] != "Kustomization" {
		t.Fatal("kustomization.yaml: want one Kustomization")
	}
	var out []string
	for _, r := range list(k[0], "resources") {
		out = append(out, r.(string))
	}
	return out
}

func sets(t *testing.T) []*manifestSet { return []*manifestSet{loadOCP(t), loadK8s(t)} }

// Our four binaries, what they serve and on which port.
type component struct {
	deployment, container string
	port                  int
	live, ready           string
}

var components = []component{
	{"ibutsu-backend", "backend", 8080, "/", "/api/health/ready"},
	{"ibutsu-worker", "worker", 8082, "/healthz", "/healthz"},
	{"ibutsu-scheduler", "scheduler", 8083, "/healthz", "/healthz"},
	{"ibutsu-monitor", "monitor", 8081, "/healthz", "/healthz"},
}

func containers(pod any, init bool) []obj {
	key := "containers"
	if init {
		key = "initContainers"
	}
	var out []obj
	for _, c := range list(pod, key) {
		out = append(out, c.(obj))
	}
	return out
}

func container(pod any, n string) obj {
	for _, c := range append(containers(pod, false), containers(pod, true)...) {
		if str(c, "name") == n {
			return c
		}
	}
	return nil
}

func podSpec(o obj) any {
	if o["kind"] == "CronJob" {
		return get(o, "spec", "jobTemplate", "spec", "template", "spec")
	}
	return get(o, "spec", "template", "spec")
}

// portNumber resolves a probe/target port (number or container port name).
func portNumber(c obj, p any) int {
	switch v := p.(type) {
	case float64:
		return int(v)
	case string:
		for _, cp := range list(c, "ports") {
			if str(cp, "name") == v {
				return int(get(cp, "containerPort").(float64))
			}
		}
	}
	return -1
}

func TestProbesHitServedEndpoints(t *testing.T) {
	for _, s := range sets(t) {
		for _, comp := range components {
			d := s.find("Deployment", comp.deployment)
			if d == nil {
				t.Errorf("%s: no Deployment %s", s.flavour, comp.deployment)
				continue
			}
			c := container(podSpec(d), comp.container)
			if c == nil {
				t.Errorf("%s: %s has no container %s", s.flavour, comp.deployment, comp.container)
				continue
			}
			for probe, path := range map[string]string{"livenessProbe": comp.live, "readinessProbe": comp.ready} {
				hg := mapOf(c, probe, "httpGet")
				if hg == nil {
					t.Errorf("%s: %s %s is not an httpGet", s.flavour, comp.container, probe)
					continue
				}
				if got := str(hg, "path"); got != path {
					t.Errorf("%s: %s %s path %q, want %q", s.flavour, comp.container, probe, got, path)
				}
				if got := portNumber(c, hg["port"]); got != comp.port {
					t.Errorf("%s: %s %s port %d, want %d", s.flavour, comp.container, probe, got, comp.port)
				}
			}
			if mapOf(c, "resources", "requests") == nil || mapOf(c, "resources", "limits") == nil {
				t.Errorf("%s: %s lacks resource requests/limits", s.flavour, comp.container)
			}
		}
	}
}

// Env port variables agree with the probed ports.
func TestPortEnvMatchesProbes(t *testing.T) {
	want := map[string]string{"backend": "PORT", "worker": "WORKER_HEALTH_PORT", "scheduler": "SCHEDULER_HEALTH_PORT", "monitor": "MONITOR_PORT"}
	for _, s := range sets(t) {
		for _, comp := range components {
			c := container(podSpec(s.find("Deployment", comp.deployment)), comp.container)
			for _, e := range list(c, "env") {
				if str(e, "name") == want[comp.container] && str(e, "value") != fmt.Sprint(comp.port) {
					t.Errorf("%s: %s sets %s=%s, probes use %d", s.flavour, comp.container, want[comp.container], str(e, "value"), comp.port)
				}
			}
		}
	}
}

func TestEnvNamesAreReadByConfig(t *testing.T) {
	known := map[string]bool{}
	for _, n := range config.EnvNames() {
		known[n] = true
	}
	if !known["POSTGRESQL_HOST"] || !known["CELERY_BROKER_URL"] || !known["JWT_SECRET"] {
		t.Fatalf("config.EnvNames() misses basic names: %v", config.EnvNames())
	}
	for _, s := range sets(t) {
		for _, comp := range components {
			pod := podSpec(s.find("Deployment", comp.deployment))
			for _, c := range append(containers(pod, false), containers(pod, true)...) {
				where := fmt.Sprintf("%s: %s/%s", s.flavour, comp.deployment, str(c, "name"))
				for _, e := range list(c, "env") {
					n := str(e, "name")
					if !known[n] {
						t.Errorf("%s: env %s is not read by the binaries (pkg/platform/config)", where, n)
					}
					if ref := mapOf(e, "valueFrom", "secretKeyRef"); ref != nil {
						checkSecretKey(t, s, where, str(ref, "name"), str(ref, "key"), get(ref, "optional") == true)
					}
				}
				for _, ef := range list(c, "envFrom") {
					var data obj
					switch {
					case mapOf(ef, "configMapRef") != nil:
						cm := s.find("ConfigMap", str(ef, "configMapRef", "name"))
						if cm == nil {
							t.Errorf("%s: envFrom ConfigMap %q not defined", where, str(ef, "configMapRef", "name"))
							continue
						}
						data = mapOf(cm, "data")
					case mapOf(ef, "secretRef") != nil:
						sec := s.find("Secret", str(ef, "secretRef", "name"))
						if sec == nil {
							t.Errorf("%s: envFrom Secret %q not defined", where, str(ef, "secretRef", "name"))
							continue
						}
						data = mapOf(sec, "stringData")
					}
					for k := range data {
						if !known[k] {
							t.Errorf("%s: envFrom key %s is not read by the binaries", where, k)
						}
					}
				}
			}
		}
	}
}

// externalSecrets are Secrets the manifests read but do not create: the
// operator (or an ObjectBucketClaim of that name) does, and every reference
// to them is optional.
var externalSecrets = map[string]bool{"ibutsu-object-store": true}

func checkSecretKey(t *testing.T, s *manifestSet, where, secret, key string, optional bool) {
	t.Helper()
	sec := s.find("Secret", secret)
	if externalSecrets[secret] {
		if sec != nil {
			t.Errorf("%s: Secret %q is created by the operator, the manifests must not define it", where, secret)
		}
		if !optional {
			t.Errorf("%s: key %s of the operator's Secret %q must be optional", where, key, secret)
		}
		return
	}
	if sec == nil {
		t.Errorf("%s: Secret %q is not defined", where, secret)
		return
	}
	if _, ok := mapOf(sec, "stringData")[key]; !ok && !optional {
		t.Errorf("%s: Secret %s has no key %q", where, secret, key)
	}
}

func TestConfigMapHasNoMigrateOnStart(t *testing.T) {
	for _, s := range sets(t) {
		cm := s.find("ConfigMap", "ibutsu-config")
		if cm == nil {
			t.Fatalf("%s: no ConfigMap ibutsu-config", s.flavour)
		}
		if got := str(cm, "data", "DB_MIGRATE_ON_START"); got != "false" {
			t.Errorf("%s: DB_MIGRATE_ON_START=%q; the initContainer migrates, servers must not race it", s.flavour, got)
		}
		if h := str(cm, "data", "POSTGRESQL_HOST"); !strings.HasPrefix(h, "postgresql") {
			t.Errorf("%s: POSTGRESQL_HOST=%q, want the postgresql Service", s.flavour, h)
		}
	}
}

func TestBackendMigrateInitContainerAndPDB(t *testing.T) {
	for _, s := range sets(t) {
		d := s.find("Deployment", "ibutsu-backend")
		pod := podSpec(d)
		main := container(pod, "backend")
		inits := containers(pod, true)
		if len(inits) != 1 {
			t.Fatalf("%s: backend has %d initContainers, want 1 (migrate)", s.flavour, len(inits))
		}
		ic := inits[0]
		args := append(list(ic, "command"), list(ic, "args")...)
		if len(args) == 0 || args[len(args)-1] != "migrate" {
			t.Errorf("%s: initContainer runs %v, want `backend migrate`", s.flavour, args)
		}
		if str(ic, "image") != str(main, "image") {
			t.Errorf("%s: initContainer image %q != backend image %q", s.flavour, str(ic, "image"), str(main, "image"))
		}
		var env []string
		for _, e := range list(ic, "env") {
			env = append(env, str(e, "name"))
		}
		for _, n := range []string{"POSTGRESQL_DATABASE", "POSTGRESQL_USER", "POSTGRESQL_PASSWORD"} {
			if !slices.Contains(env, n) {
				t.Errorf("%s: initContainer lacks %s", s.flavour, n)
			}
		}
		if str(d, "spec", "strategy", "type") != "RollingUpdate" || get(d, "spec", "strategy", "rollingUpdate", "maxUnavailable") != float64(0) {
			t.Errorf("%s: backend must roll with maxUnavailable 0", s.flavour)
		}
		if str(main, "lifecycle", "preStop", "sleep", "seconds") == "" && get(main, "lifecycle", "preStop", "sleep", "seconds") == nil {
			t.Errorf("%s: backend lacks the preStop sleep", s.flavour)
		}
		pdbs := s.byKind("PodDisruptionBudget")
		ok := false
		labels := mapOf(d, "spec", "template", "metadata", "labels")
		for _, p := range pdbs {
			sel := mapOf(p, "spec", "selector", "matchLabels")
			if len(sel) > 0 && subset(sel, labels) {
				ok = true
			}
		}
		if !ok {
			t.Errorf("%s: no PodDisruptionBudget selects the backend pods", s.flavour)
		}
	}
}

func subset(sel, labels obj) bool {
	for k, v := range sel {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// TestSchedulerRollsWithoutGap: one scheduler replica by default, and a
// rollout starts the new pod before stopping the old one, so no firing is
// missed; the overlap is safe (each firing is enqueued under one task id).
func TestSchedulerRollsWithoutGap(t *testing.T) {
	for _, s := range sets(t) {
		d := s.find("Deployment", "ibutsu-scheduler")
		if r := get(d, "spec", "replicas"); r != float64(1) {
			t.Errorf("%s: scheduler replicas %v, want 1", s.flavour, r)
		}
		if st := str(d, "spec", "strategy", "type"); st != "RollingUpdate" {
			t.Errorf("%s: scheduler strategy %q, want RollingUpdate", s.flavour, st)
		}
		if u := get(d, "spec", "strategy", "rollingUpdate", "maxUnavailable"); u != float64(0) {
			t.Errorf("%s: scheduler maxUnavailable %v, want 0 (no gap in the firings)", s.flavour, u)
		}
	}
}

func TestServicesSelectPodsAndNamedPorts(t *testing.T) {
	for _, s := range sets(t) {
		for _, svc := range s.byKind("Service") {
			sel := mapOf(svc, "spec", "selector")
			var match obj
			for _, d := range s.byKind("Deployment") {
				if subset(sel, mapOf(d, "spec", "template", "metadata", "labels")) {
					match = d
				}
			}
			if match == nil {
				t.Errorf("%s: Service %s selects no Deployment", s.flavour, name(svc))
				continue
			}
			for _, p := range list(svc, "spec", "ports") {
				tp := get(p, "targetPort")
				found := false
				for _, c := range containers(podSpec(match), false) {
					if portNumber(c, tp) > 0 {
						found = true
					}
				}
				if !found {
					t.Errorf("%s: Service %s targetPort %v not a container port of %s", s.flavour, name(svc), tp, name(match))
				}
			}
			for _, d := range s.byKind("Deployment") {
				if mapOf(d, "spec", "selector", "matchLabels") == nil ||
					!subset(mapOf(d, "spec", "selector", "matchLabels"), mapOf(d, "spec", "template", "metadata", "labels")) {
					t.Errorf("%s: Deployment %s selector does not match its pod labels", s.flavour, name(d))
				}
			}
		}
	}
}

func TestOCPImageStreamsAndTriggers(t *testing.T) {
	s := loadOCP(t)
	streams := map[string]obj{}
	for _, is := range s.byKind("ImageStream") {
		streams[name(is)] = is
		if get(is, "spec", "lookupPolicy", "local") != true {
			t.Errorf("ImageStream %s: lookupPolicy.local must be true (Deployments use short names)", name(is))
		}
		for _, tag := range list(is, "spec", "tags") {
			if get(tag, "importPolicy", "scheduled") != true {
				t.Errorf("ImageStream %s tag %s: importPolicy.scheduled must be true", name(is), str(tag, "name"))
			}
		}
	}
	hasTag := func(stream, tag string) bool {
		for _, tg := range list(streams[stream], "spec", "tags") {
			if str(tg, "name") == tag {
				return true
			}
		}
		return false
	}
	for _, kind := range []string{"Deployment", "CronJob"} {
		for _, o := range s.byKind(kind) {
			pod := podSpec(o)
			for _, c := range append(containers(pod, false), containers(pod, true)...) {
				img := str(c, "image")
				st, tag, _ := strings.Cut(img, ":")
				if _, ok := streams[st]; !ok || !hasTag(st, tag) {
					t.Errorf("%s %s container %s: image %q is not an ImageStreamTag defined here", kind, name(o), str(c, "name"), img)
				}
			}
			if kind != "Deployment" {
				if str(o, "spec", "jobTemplate", "spec", "template", "metadata", "annotations", "alpha.image.policy.openshift.io/resolve-names") != "*" {
					t.Errorf("CronJob %s: pod template needs the resolve-names annotation", name(o))
				}
				continue
			}
			raw := str(o, "metadata", "annotations", "image.openshift.io/triggers")
			var triggers []struct {
				From      struct{ Kind, Name string }
				FieldPath string
			}
			if err := json.Unmarshal([]byte(raw), &triggers); err != nil || len(triggers) == 0 {
				t.Errorf("Deployment %s: image.openshift.io/triggers %q: %v", name(o), raw, err)
				continue
			}
			covered := map[string]bool{}
			for _, tr := range triggers {
				st, tag, _ := strings.Cut(tr.From.Name, ":")
				if tr.From.Kind != "ImageStreamTag" || !hasTag(st, tag) {
					t.Errorf("Deployment %s: trigger from %+v is not an ImageStreamTag defined here", name(o), tr.From)
				}
				m := regexp.MustCompile(`^spec\.template\.spec\.(containers|initContainers)\[\?\(@\.name=="([^"]+)"\)\]\.image$`).FindStringSubmatch(tr.FieldPath)
				if m == nil || container(pod, m[2]) == nil {
					t.Errorf("Deployment %s: trigger fieldPath %q names no container", name(o), tr.FieldPath)
					continue
				}
				covered[m[2]] = true
			}
			for _, c := range append(containers(pod, false), containers(pod, true)...) {
				if !covered[str(c, "name")] {
					t.Errorf("Deployment %s: container %s has no image trigger", name(o), str(c, "name"))
				}
			}
		}
	}
}

func TestOCPRoutes(t *testing.T) {
	s := loadOCP(t)
	for _, n := range []string{"ibutsu-backend", "ibutsu-monitor"} {
		r := s.find("Route", n)
		if r == nil {
			t.Errorf("no Route %s", n)
			continue
		}
		if str(r, "spec", "tls", "termination") != "edge" || str(r, "spec", "tls", "insecureEdgeTerminationPolicy") != "Redirect" {
			t.Errorf("Route %s: want edge TLS with Redirect", n)
		}
		svc := s.find("Service", str(r, "spec", "to", "name"))
		if svc == nil {
			t.Errorf("Route %s: Service %q not defined", n, str(r, "spec", "to", "name"))
			continue
		}
		ok := false
		for _, p := range list(svc, "spec", "ports") {
			if str(p, "name") == str(r, "spec", "port", "targetPort") {
				ok = true
			}
		}
		if !ok {
			t.Errorf("Route %s: targetPort %q is not a port name of Service %s", n, str(r, "spec", "port", "targetPort"), name(svc))
		}
	}
}

// Every ${PARAM} / ${{PARAM}} in a template is declared; every declared one is used.
func TestOCPTemplateParameters(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(root, "deploy/ocp-templates/*.yaml"))
	ref := regexp.MustCompile(`\$\{\{?([A-Za-z_][A-Za-z0-9_]*)\}?\}`)
	for _, f := range files {
		tpl := parseFile(t, f)[0]
		objs, _ := json.Marshal(tpl["objects"])
		used := map[string]bool{}
		for _, m := range ref.FindAllStringSubmatch(string(objs), -1) {
			used[m[1]] = true
		}
		declared := map[string]bool{}
		for _, p := range list(tpl, "parameters") {
			declared[str(p, "name")] = true
			if get(p, "required") != true && get(p, "generate") == nil && get(p, "value") == nil {
				t.Errorf("%s: parameter %s has neither value, generate nor required", filepath.Base(f), str(p, "name"))
			}
		}
		for n := range used {
			if !declared[n] {
				t.Errorf("%s: ${%s} is used but not a parameter", filepath.Base(f), n)
			}
		}
		for n := range declared {
			if !used[n] {
				t.Errorf("%s: parameter %s is never used", filepath.Base(f), n)
			}
		}
	}
}

func TestScaleParametersExist(t *testing.T) {
	s := loadOCP(t)
	for file, p := range map[string]string{"backend.yaml": "BACKEND_REPLICAS", "worker.yaml": "WORKER_REPLICAS"} {
		if _, ok := s.params[file][p]; !ok {
			t.Errorf("%s: no %s parameter", file, p)
		}
	}
	for _, p := range []string{"IMAGE_TAG", "IMAGE_REPO"} {
		for _, f := range []string{"backend.yaml", "worker.yaml", "scheduler.yaml", "monitor.yaml"} {
			if _, ok := s.params[f][p]; !ok {
				t.Errorf("%s: no %s parameter", f, p)
			}
		}
	}
	if _, ok := s.params["backend.yaml"]["BACKEND_ROUTE"]; !ok {
		t.Error("backend.yaml: no BACKEND_ROUTE parameter")
	}
	if _, ok := s.params["monitor.yaml"]["MONITOR_ROUTE"]; !ok {
		t.Error("monitor.yaml: no MONITOR_ROUTE parameter")
	}
}

func TestVacuumCronJob(t *testing.T) {
	for _, s := range sets(t) {
		cj := s.find("CronJob", "database-vacuum")
		if cj == nil {
			t.Errorf("%s: no CronJob database-vacuum", s.flavour)
			continue
		}
		if str(cj, "apiVersion") != "batch/v1" || str(cj, "spec", "concurrencyPolicy") != "Forbid" || str(cj, "spec", "schedule") == "" {
			t.Errorf("%s: database-vacuum wants batch/v1, a schedule and concurrencyPolicy Forbid", s.flavour)
		}
		cmd := fmt.Sprint(get(podSpec(cj), "containers", "0", "command"))
		if !strings.Contains(cmd, "VACUUM (ANALYZE") {
			t.Errorf("%s: database-vacuum does not run VACUUM (ANALYZE): %s", s.flavour, cmd)
		}
		if s.find("CronJob", "database-backup") == nil {
			t.Errorf("%s: no CronJob database-backup", s.flavour)
		}
	}
}

func TestKubernetesBase(t *testing.T) {
	res := kustomizeResources(t)
	for _, r := range res {
		if _, err := os.Stat(filepath.Join(root, "deploy/kubernetes", r)); err != nil {
			t.Errorf("kustomization lists missing %s", r)
		}
	}
	files, _ := filepath.Glob(filepath.Join(root, "deploy/kubernetes/*.yaml"))
	for _, f := range files {
		b := filepath.Base(f)
		if b != "kustomization.yaml" && !slices.Contains(res, b) {
			t.Errorf("%s is not listed in kustomization.yaml", b)
		}
	}
	s := loadK8s(t)
	for _, k := range []string{"ImageStream", "Route", "Template"} {
		if len(s.byKind(k)) > 0 {
			t.Errorf("kubernetes base contains %s objects", k)
		}
	}
	if s.find("Ingress", "ibutsu-backend") == nil {
		t.Error("kubernetes base: no Ingress for the backend")
	}
	for _, ing := range s.byKind("Ingress") {
		for _, r := range list(ing, "spec", "rules") {
			for _, p := range list(r, "http", "paths") {
				if s.find("Service", str(p, "backend", "service", "name")) == nil {
					t.Errorf("Ingress %s: Service %q not defined", name(ing), str(p, "backend", "service", "name"))
				}
			}
		}
	}
	// No leftover template syntax, and images are pullable references.
	raw, _ := json.Marshal(s.objs)
	if strings.Contains(string(raw), "${") {
		t.Error("kubernetes base contains ${...} template parameters")
	}
	k := parseFile(t, filepath.Join(root, "deploy/kubernetes/kustomization.yaml"))[0]
	var images []string
	for _, im := range list(k, "images") {
		images = append(images, str(im, "name"))
	}
	for _, comp := range components {
		img := str(container(podSpec(s.find("Deployment", comp.deployment)), comp.container), "image")
		repo, _, _ := strings.Cut(img, ":")
		if !strings.Contains(repo, "/") || !slices.Contains(images, repo) {
			t.Errorf("%s image %q: want a registry reference listed under kustomization images", comp.container, img)
		}
	}
}

// The OpenShift and Kubernetes flavours describe the same components.
func TestFlavoursAgree(t *testing.T) {
	ocp, k8s := loadOCP(t), loadK8s(t)
	keys := func(s *manifestSet, skip ...string) []string {
		var out []string
		for _, o := range s.objs {
			if !slices.Contains(skip, o["kind"].(string)) {
				out = append(out, kindName(o))
			}
		}
		sort.Strings(out)
		return out
	}
	a, b := keys(ocp, "ImageStream", "Route"), keys(k8s, "Ingress")
	if !slices.Equal(a, b) {
		t.Errorf("objects differ:\n ocp: %v\n k8s: %v", a, b)
	}
}
