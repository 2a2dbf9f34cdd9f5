package deploytest

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// stage is one FROM … block of a Dockerfile, continuation lines joined.
type stage struct {
	from, name string
	lines      []string
}

func readDockerfile(t *testing.T, file string) (globalArgs []string, stages []stage) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, file))
	if err != nil {
		t.Fatal(err)
	}
	var cur string
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "#") || (l == "" && cur == "") {
			continue
		}
		if strings.HasSuffix(l, "\\") {
			cur += strings.TrimSuffix(l, "\\") + " "
			continue
		}
		l, cur = cur+l, ""
		if l == "" {
			continue
		}
		f := strings.Fields(l)
		if strings.EqualFold(f[0], "FROM") {
			st := stage{from: f[1]}
			if len(f) == 4 && strings.EqualFold(f[2], "AS") {
				st.name = f[3]
			}
			stages = append(stages, st)
			continue
		}
		if len(stages) == 0 {
			globalArgs = append(globalArgs, l)
			continue
		}
		stages[len(stages)-1].lines = append(stages[len(stages)-1].lines, l)
	}
	return globalArgs, stages
}

func (s stage) instr(kw string) []string {
	var out []string
	for _, l := range s.lines {
		if f := strings.Fields(l); strings.EqualFold(f[0], kw) {
			out = append(out, strings.TrimSpace(l[len(f[0]):]))
		}
	}
	return out
}

func (s stage) text() string { return strings.Join(s.lines, "\n") }

func stageNamed(stages []stage, n string) *stage {
	for i := range stages {
		if stages[i].name == n {
			return &stages[i]
		}
	}
	return nil
}

// checkGoBuild asserts the build stage builds ./cmd/<bin> statically with the
// version ldflags fed from the VERSION/COMMIT build args.
func checkGoBuild(t *testing.T, file string, st *stage, bin string) {
	t.Helper()
	if st == nil {
		t.Fatalf("%s: no build stage", file)
	}
	txt := st.text()
	if !strings.Contains(st.from, "golang:1.26") && !strings.Contains(st.from, "GO_IMAGE") {
		t.Errorf("%s: build stage FROM %s, want golang:1.26", file, st.from)
	}
	for _, want := range []string{
		"CGO_ENABLED=0", "go build", "-trimpath", "./cmd/" + bin,
		"-X github.com/ibutsu-go/ibutsu/pkg/platform/version.Version=${VERSION}",
		"-X github.com/ibutsu-go/ibutsu/pkg/platform/version.Commit=${COMMIT}",
	} {
		if !strings.Contains(txt, want) {
			t.Errorf("%s: build stage lacks %q", file, want)
		}
	}
	args := strings.Join(st.instr("ARG"), " ")
	for _, a := range []string{"VERSION", "COMMIT"} {
		if !regexp.MustCompile(`\b` + a + `\b`).MatchString(args) {
			t.Errorf("%s: build stage does not declare ARG %s", file, a)
		}
	}
}

// checkRuntime asserts a runtime stage: non-root USER, the EXPOSEd port, the entrypoint binary.
func checkRuntime(t *testing.T, file string, stages []stage, final *stage, bin, port string) {
	t.Helper()
	// USER/ENTRYPOINT/EXPOSE are inherited through FROM <stage>; collect along the chain.
	var users, exposes, entry []string
	for st := final; st != nil; st = stageNamed(stages, st.from) {
		users = append(st.instr("USER"), users...)
		exposes = append(exposes, st.instr("EXPOSE")...)
		if e := st.instr("ENTRYPOINT"); len(e) > 0 && len(entry) == 0 {
			entry = e
		}
		if strings.Contains(st.from, "${") && st.from != "${RUNTIME_IMAGE}" {
			break
		}
	}
	if len(users) == 0 || users[len(users)-1] == "0" || users[len(users)-1] == "root" {
		t.Errorf("%s/%s: runtime USER %v, want non-root (1001)", file, bin, users)
	} else if users[len(users)-1] != "1001" {
		t.Errorf("%s/%s: USER %s, want 1001", file, bin, users[len(users)-1])
	}
	if len(exposes) != 1 || exposes[0] != port {
		t.Errorf("%s/%s: EXPOSE %v, want exactly %s", file, bin, exposes, port)
	}
	if len(entry) != 1 || !strings.Contains(entry[0], `/`+bin+`"`) {
		t.Errorf("%s/%s: ENTRYPOINT %v, want the %s binary", file, bin, entry, bin)
	}
}

func TestDockerfileBackend(t *testing.T) {
	const file = "Dockerfile.backend"
	global, stages := readDockerfile(t, file)
	g := strings.Join(global, "\n")
	web := stageNamed(stages, "web")
	if web == nil || !strings.Contains(g, "node:20") {
		t.Fatalf("%s: want a Node 20 stage named web", file)
	}
	if !strings.Contains(web.text(), "scripts/build-web.sh") {
		t.Errorf("%s: web stage does not run scripts/build-web.sh", file)
	}
	if _, err := os.Stat(filepath.Join(root, "scripts/build-web.sh")); err != nil {
		t.Error(err)
	}
	build := stageNamed(stages, "build")
	checkGoBuild(t, file, build, "backend")
	if !strings.Contains(build.text(), "--from=web") || !strings.Contains(build.text(), "embedui") {
		t.Errorf("%s: build stage must take web/dist from the web stage and use the embedui tag when present", file)
	}
	final := &stages[len(stages)-1]
	if !strings.Contains(g, "distroless/static") && !strings.Contains(g, "ubi-micro") {
		t.Errorf("%s: runtime base is not distroless static or ubi-micro", file)
	}
	checkRuntime(t, file, stages, final, "backend", "8080")
}

func TestDockerfileWorker(t *testing.T) {
	const file = "Dockerfile.worker"
	global, stages := readDockerfile(t, file)
	if !slices.Contains(global, "ARG SERVICE=worker") {
		t.Errorf("%s: want a global `ARG SERVICE=worker`", file)
	}
	build := stageNamed(stages, "build")
	checkGoBuild(t, file, build, "${SERVICE}")
	if !strings.Contains(build.text(), "-o /out/${SERVICE}") {
		t.Errorf("%s: build stage does not write /out/${SERVICE}", file)
	}
	final := &stages[len(stages)-1]
	if final.from != "${SERVICE}" {
		t.Errorf("%s: final stage FROM %s, want FROM ${SERVICE}", file, final.from)
	}
	for svc, port := range map[string]string{"worker": "8082", "scheduler": "8083", "monitor": "8081"} {
		st := stageNamed(stages, svc)
		if st == nil {
			t.Errorf("%s: no stage %s", file, svc)
			continue
		}
		if !strings.Contains(st.text(), "/out/"+svc+" ") {
			t.Errorf("%s: stage %s does not copy /out/%s", file, svc, svc)
		}
		checkRuntime(t, file, stages, st, svc, port) // follows svc -> base
	}
	if u := final.instr("USER"); len(u) > 0 && (u[0] == "0" || u[0] == "root") {
		t.Errorf("%s: final USER %v", file, u)
	}
}

func TestMakefileTargets(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	mk := string(b)
	for _, want := range []string{
		"-f Dockerfile.backend --build-arg VERSION=$(VERSION) --build-arg COMMIT=$(COMMIT)",
		"image-worker image-scheduler image-monitor: image-%:",
		"-f Dockerfile.worker --build-arg SERVICE=$* --build-arg VERSION=$(VERSION) --build-arg COMMIT=$(COMMIT)",
		"-X github.com/ibutsu-go/ibutsu/pkg/platform/version.Version=$(VERSION)",
		"-X github.com/ibutsu-go/ibutsu/pkg/platform/version.Commit=$(COMMIT)",
		"\ndeploy-ocp:", "\ndeploy-k8s:",
	} {
		if !strings.Contains(mk, want) {
			t.Errorf("Makefile lacks %q", want)
		}
	}
	m := regexp.MustCompile(`(?m)^OCP_TEMPLATES := (.*)$`).FindStringSubmatch(mk)
	if m == nil {
		t.Fatal("Makefile: no OCP_TEMPLATES")
	}
	order := strings.Fields(m[1])
	files, _ := filepath.Glob(filepath.Join(root, "deploy/ocp-templates/*.yaml"))
	for _, f := range files {
		n := strings.TrimSuffix(filepath.Base(f), ".yaml")
		if n != "secrets" && !slices.Contains(order, n) {
			t.Errorf("Makefile OCP_TEMPLATES misses %s", n)
		}
	}
	for _, n := range order {
		if _, err := os.Stat(filepath.Join(root, "deploy/ocp-templates", n+".yaml")); err != nil {
			t.Errorf("Makefile OCP_TEMPLATES: %v", err)
		}
	}
	idx := func(n string) int {
		for i, x := range order {
			if x == n {
				return i
			}
		}
		return -1
	}
	if !(idx("config") < idx("backend") && idx("postgresql") < idx("backend") && idx("redis") < idx("backend") && idx("backend") < idx("worker")) {
		t.Errorf("Makefile OCP_TEMPLATES order %v: config, postgresql, redis before backend before worker", order)
	}
}
