package resilience

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"
	"github.com/jackc/pgx/v5"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// The replica test's shape: how many runs the posted results go to, how
// many clients post at once and how many results each posts, how many JUnit
// files are imported (half through each backend) and how many cases each
// holds, and the period of the prune job the test watches.
const (
	replicaRuns        = 6
	replicaClients     = 16
	replicaPerClient   = 40
	replicaImports     = 4
	replicaCases       = 150
	replicaOldRuns     = 3
	replicaPrunePeriod = 3 * time.Second
)

// outcomes are the result values posted, in turn.
var outcomes = []string{"passed", "failed", "error", "skipped", "xfailed", "xpassed", "passed"}

// TestReplicas runs the production topology with replicas: two cmd/backend
// processes, two cmd/worker processes and two cmd/scheduler processes
// (started 1.5 s apart) on one PostgreSQL database and one Redis queue.
// While clients post results to a set of runs through both backends at once
// and JUnit files are imported through both, the schedulers fire
// prune-old-runs every 3 s. It then checks that
//   - every posted result is stored once, in its run, with the id the API
//     answered, and every imported test case once;
//   - once the workers settle, every run's summary equals the counts
//     computed from its results by SQL;
//   - the prune job ran exactly once per firing although both schedulers
//     fired it (each enqueued task completed once, executed by one worker;
//     the other scheduler's copy was refused), and it did its work (the
//     runs older than its cutoff are gone).
func TestReplicas(t *testing.T) {
	start := time.Now()
	bin := buildCommands(t, "backend", "worker", "scheduler")
	built := time.Since(start)
	dsn := testenv.NewPostgresDatabase(t)
	redisURL := testenv.RedisURL(t)
	queueName := "replicas-" + uuid.NewString()[:8]
	env := []string{"DATABASE_URL=" + dsn, "REDIS_URL=" + redisURL, "TASK_QUEUE=" + queueName,
		"JWT_SECRET=replicas-secret", "IBUTSU_SUPERADMIN_EMAIL=" + bigImportAdmin,
		"IBUTSU_SUPERADMIN_PASSWORD=" + bigImportPassword, "BCRYPT_LOG_ROUNDS=4", "LOG_FORMAT=json",
		"HOST=127.0.0.1", "IBUTSU_DATA_DIR=" + t.TempDir(),
		"SCHEDULE_PRUNE_OLD_RUNS=@every " + replicaPrunePeriod.String(),
		// The webhook sweep races the delivery tasks every second.
		"SCHEDULE_WEBHOOK_SWEEP=@every 1s", "WEBHOOK_ALLOW=127.0.0.1/32"}
	hooks := &replicaHookSink{byKey: map[string]int{}, byEvent: map[string]int{}}
	sink := httptest.NewServer(hooks)
	defer sink.Close()

	// Both backends start at once: the migration lock makes one migrate.
	var bases [2]string
	var procs []*replicaProc
	var wg sync.WaitGroup
	for i := range bases {
		port := FreePort(t)
		bases[i] = fmt.Sprintf("http://127.0.0.1:%d/api", port)
		procs = append(procs, replicaStart(t, bin, "backend", fmt.Sprintf("backend%d", i+1), append(env, "PORT="+strconv.Itoa(port))))
	}
	for i, b := range bases {
		procs[i].waitReady(t, b+"/health/ready", 2*time.Minute)
	}
	var workers [2]*replicaProc
	for i := range workers {
		workers[i] = replicaStart(t, bin, "worker", fmt.Sprintf("worker%d", i+1),
			append(env, "WORKER_HEALTH_PORT="+strconv.Itoa(FreePort(t))))
		procs = append(procs, workers[i])
	}
	token := bigImportLogin(t, bases[0])
	project := createProject(t, strings.TrimSuffix(bases[0], "/api"), token, "replicas")
	c := &replicaClient{token: token, project: project}
	if _, err := c.postJSON(bases[1]+"/project/"+project+"/webhooks", map[string]any{"name": "replicas",
		"url": sink.URL, "secret": "replicas-hook-secret", "events": []string{"run.finished", "import.done"}}); err != nil {
		t.Fatal(err)
	}

	// Runs older than prune-old-runs' cutoff (12 months), for the job to delete.
	old := make([]string, replicaOldRuns)
	for i := range old {
		id, err := c.createRun(bases[i%2], "2020-01-0"+strconv.Itoa(i+1)+"T00:00:00")
		if err != nil {
			t.Fatal(err)
		}
		old[i] = id
	}
	runs := make([]string, replicaRuns)
	for i := range runs {
		id, err := c.createRun(bases[i%2], "")
		if err != nil {
			t.Fatal(err)
		}
		runs[i] = id
	}
	var scheds [2]*replicaProc
	scheds[0] = replicaStart(t, bin, "scheduler", "scheduler1",
		append(env, "SCHEDULER_HEALTH_PORT="+strconv.Itoa(FreePort(t))))
	schedStart := time.Now()
	// The second scheduler starts half a period later: before firings were
	// keyed by their time, its firings fell elsewhere in the period and the
	// job ran twice per period.
	time.Sleep(replicaPrunePeriod / 2)
	scheds[1] = replicaStart(t, bin, "scheduler", "scheduler2",
		append(env, "SCHEDULER_HEALTH_PORT="+strconv.Itoa(FreePort(t))))

	// Concurrent ingest through both backends, and the imports beside it.
	ingestStart := time.Now()
	posted := make([]map[string][]string, replicaClients) // per client: run -> result ids
	errs := make(chan error, replicaClients+replicaImports)
	for g := range replicaClients {
		posted[g] = map[string][]string{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range replicaPerClient {
				run := runs[(g+i)%len(runs)]
				id, err := c.postResult(bases[(g+i)%2], run, fmt.Sprintf("c%d.t%d", g, i), outcomes[(g+i)%len(outcomes)])
				if err != nil {
					errs <- err
					return
				}
				posted[g][run] = append(posted[g][run], id)
			}
		}()
	}
	imported := make([]string, replicaImports) // run id of each import
	for k := range replicaImports {
		wg.Add(1)
		go func() {
			defer wg.Done()
			run, err := c.importJUnit(bases[k%2], fmt.Sprintf("suite%d", k), replicaCases)
			if err != nil {
				errs <- err
				return
			}
			imported[k] = run
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		t.FailNow()
	}
	ingested := time.Since(ingestStart)

	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()

	// No result lost or duplicated: the rows of each run are exactly the ids
	// the API answered.
	want := map[string][]string{}
	for _, p := range posted {
		for run, ids := range p {
			want[run] = append(want[run], ids...)
		}
	}
	total := 0
	for _, run := range runs {
		got := replicaColumn(t, conn, "SELECT id::text FROM results WHERE run_id = $1 ORDER BY id", run)
		w := slices.Clone(want[run])
		slices.Sort(w)
		total += len(got)
		if !slices.Equal(got, w) {
			t.Errorf("run %s holds %d results, the API created %d (lost or duplicated)", run, len(got), len(w))
		}
		if dup := replicaColumn(t, conn, "SELECT test_id FROM results WHERE run_id = $1 GROUP BY test_id HAVING count(*) > 1", run); len(dup) > 0 {
			t.Errorf("run %s holds test ids more than once: %v", run, dup)
		}
	}
	if total != replicaClients*replicaPerClient {
		t.Errorf("%d posted results stored, %d posted", total, replicaClients*replicaPerClient)
	}
	for k, run := range imported {
		n := replicaColumn(t, conn, "SELECT count(*)::text FROM results WHERE run_id = $1", run)
		d := replicaColumn(t, conn, "SELECT count(DISTINCT test_id)::text FROM results WHERE run_id = $1", run)
		if n[0] != strconv.Itoa(replicaCases) || d[0] != n[0] {
			t.Errorf("import %d (run %s): %s results, %s distinct test ids; the file held %d cases", k, run, n[0], d[0], replicaCases)
		}
	}

	// Summaries exact once the workers settle (the summary task runs after
	// a 5 s debounce window).
	settleStart := time.Now()
	var wrong []string
	for {
		wrong = replicaWrongSummaries(t, conn, append(slices.Clone(runs), imported...))
		if len(wrong) == 0 || time.Since(settleStart) > 45*time.Second {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	for _, w := range wrong {
		t.Error(w)
	}
	settled := time.Since(settleStart)

	// Each run finished through both backends at once: run.finished once
	// per run (and once per imported run, which its import finished), and
	// import.done once per import, whichever worker delivers.
	var fwg sync.WaitGroup
	for _, run := range runs {
		for _, b := range bases {
			fwg.Add(1)
			go func() {
				defer fwg.Done()
				code, raw, err := c.do(http.MethodPost, b+"/run/"+run+"/finish", "application/json", nil)
				if err != nil || code != http.StatusOK {
					t.Errorf("finish run %s: %d %s %v", run, code, raw, err)
				}
			}()
		}
	}
	fwg.Wait()
	wantHooks := map[string]int{}
	for _, run := range append(slices.Clone(runs), imported...) {
		wantHooks["run.finished "+run] = 1
	}
	for hookWait := time.Now(); ; {
		if n := hooks.count("run.finished", "import.done"); n >= len(wantHooks)+replicaImports || time.Since(hookWait) > 30*time.Second {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}

	// The periodic job: let it fire a few times more, stop the schedulers,
	// let the workers drain, then compare what was enqueued with what ran.
	for time.Since(schedStart) < 5*replicaPrunePeriod+time.Second {
		time.Sleep(100 * time.Millisecond)
	}
	procs = append(procs, scheds[:]...)
	for _, s := range scheds {
		s.stop()
	}
	schedRan := time.Since(schedStart)
	insp := asynq.NewInspector(replicaRedisOpt(t, redisURL))
	defer func() { _ = insp.Close() }()
	for drain := time.Now(); ; {
		info, err := insp.GetQueueInfo(queueName)
		if err != nil {
			t.Fatalf("queue info: %v", err)
		}
		if info.Pending == 0 && info.Active == 0 && info.Retry == 0 {
			break
		}
		if time.Since(drain) > 20*time.Second {
			t.Fatalf("queue did not drain: %+v", info)
		}
		time.Sleep(100 * time.Millisecond)
	}
	enqueued, duplicates := 0, 0
	perScheduler := make([]int, len(scheds))
	for i, s := range scheds {
		perScheduler[i] = replicaLogCount(t, s.log, "periodic task enqueued", "db.prune_old_runs")
		enqueued += perScheduler[i]
		duplicates += replicaLogCount(t, s.log, "periodic task already enqueued for this firing (another scheduler)", "db.prune_old_runs")
	}
	completed, err := insp.ListCompletedTasks(queueName, asynq.PageSize(1000))
	if err != nil {
		t.Fatalf("completed tasks: %v", err)
	}
	ids := map[string]int{}
	for _, ti := range completed {
		if ti.Type == "db.prune_old_runs" {
			ids[ti.ID]++
		}
	}
	executed := 0
	perWorker := make([]int, len(workers))
	for i, w := range workers {
		perWorker[i] = replicaLogCount(t, w.log, "prune finished", "")
		executed += perWorker[i]
	}
	firings := int(schedRan / replicaPrunePeriod)
	t.Logf("prune-old-runs every %s for %s: %d enqueued (per scheduler %v), %d completed, %d executed (per worker %v), %d refused as duplicates",
		replicaPrunePeriod, schedRan.Round(time.Millisecond), enqueued, perScheduler, len(ids), executed, perWorker, duplicates)
	if enqueued < firings-1 || enqueued > firings+1 {
		t.Errorf("prune-old-runs enqueued %d times in %s, want one per %s (%d±1)", enqueued, schedRan.Round(time.Millisecond), replicaPrunePeriod, firings)
	}
	// Both schedulers ran together for all but the first half period.
	if duplicates < firings-2 {
		t.Errorf("the second scheduler tried %d firings already enqueued, want about %d: did both run?", duplicates, firings-1)
	}
	if len(ids) != enqueued || executed != enqueued {
		t.Errorf("prune-old-runs: %d enqueued, %d distinct tasks completed, %d executions: want each firing run exactly once", enqueued, len(ids), executed)
	}
	for id, n := range ids {
		if n != 1 {
			t.Errorf("task %s completed %d times", id, n)
		}
	}
	got := hooks.snapshot()
	for key, n := range got.byEvent {
		if strings.HasPrefix(key, "run.finished ") && wantHooks[key] != n {
			t.Errorf("webhook %s delivered %d times, want %d", key, n, wantHooks[key])
		}
	}
	for key := range wantHooks {
		if got.byEvent[key] == 0 {
			t.Errorf("webhook %s never delivered", key)
		}
	}
	if n := got.count("import.done"); n != replicaImports {
		t.Errorf("import.done delivered %d times, want %d", n, replicaImports)
	}
	for key, n := range got.byKey {
		if n != 1 {
			t.Errorf("webhook delivery %s received %d times", key, n)
		}
	}
	t.Logf("webhooks: %d deliveries, %d distinct idempotency keys", got.total, len(got.byKey))
	// Nothing in any process's log is an error.
	for _, p := range procs {
		if n := replicaLogCount(t, p.log, "", "", "ERROR"); n > 0 {
			t.Errorf("%s logged %d errors", p.name, n)
		}
	}
	if left := replicaColumn(t, conn, "SELECT id::text FROM runs WHERE start_time < now() - interval '1 year'"); len(left) > 0 {
		t.Errorf("runs older than the prune cutoff still there: %v", left)
	}
	if n := replicaColumn(t, conn, "SELECT count(*)::text FROM runs"); n[0] != strconv.Itoa(replicaRuns+replicaImports) {
		t.Errorf("%s runs after pruning, want the %d recent ones", n[0], replicaRuns+replicaImports)
	}
	t.Logf("build %s; %d results posted by %d clients and %d JUnit imports of %d cases through 2 backends in %s; summaries exact after %s; total %s",
		built.Round(time.Millisecond), replicaClients*replicaPerClient, replicaClients, replicaImports, replicaCases,
		ingested.Round(time.Millisecond), settled.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
}

// replicaClient talks to either backend as the superadmin.
type replicaClient struct {
	token, project string
}

func (c *replicaClient) do(method, url, contentType string, body io.Reader) (int, []byte, error) {
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: %w", method, url, err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	return resp.StatusCode, raw, err
}

func (c *replicaClient) postJSON(url string, body any) (string, error) {
	raw, _ := json.Marshal(body)
	code, out, err := c.do(http.MethodPost, url, "application/json", bytes.NewReader(raw))
	if err != nil {
		return "", err
	}
	var v struct{ ID string }
	if code != http.StatusCreated || json.Unmarshal(out, &v) != nil || v.ID == "" {
		return "", fmt.Errorf("POST %s: %d %s", url, code, out)
	}
	return v.ID, nil
}

// createRun adds a run to the project, started at start (empty: now).
func (c *replicaClient) createRun(base, start string) (string, error) {
	body := map[string]any{"metadata": map[string]any{"project": c.project}}
	if start != "" {
		body["start_time"] = start
	}
	return c.postJSON(base+"/run", body)
}

func (c *replicaClient) postResult(base, run, testID, outcome string) (string, error) {
	return c.postJSON(base+"/result", map[string]any{"test_id": testID, "result": outcome, "duration": 0.5,
		"run_id": run, "metadata": map[string]any{"project": c.project}})
}

// importJUnit imports a JUnit file of cases test cases (every fifth one
// failing, every seventh skipped), waits for it to be done and returns the
// run it created.
func (c *replicaClient) importJUnit(base, suite string, cases int) (string, error) {
	var xml strings.Builder
	failures, skips := 0, 0
	for i := range cases {
		fmt.Fprintf(&xml, `<testcase classname="%s.Cls" name="test_%d" time="0.01">`, suite, i)
		switch {
		case i%5 == 0:
			xml.WriteString(`<failure message="boom">trace</failure>`)
			failures++
		case i%7 == 0:
			xml.WriteString(`<skipped message="later"/>`)
			skips++
		}
		xml.WriteString("</testcase>\n")
	}
	doc := fmt.Sprintf(`<?xml version="1.0"?><testsuites><testsuite name="%s" tests="%d" failures="%d" errors="0" skipped="%d" time="1">`+"\n%s</testsuite></testsuites>\n",
		suite, cases, failures, skips, xml.String())
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("project", c.project)
	fw, _ := mw.CreateFormFile("importFile", suite+".xml")
	_, _ = fw.Write([]byte(doc))
	_ = mw.Close()
	code, raw, err := c.do(http.MethodPost, base+"/import", mw.FormDataContentType(), &buf)
	if err != nil {
		return "", err
	}
	var imp map[string]any
	if code != http.StatusAccepted && code != http.StatusCreated || json.Unmarshal(raw, &imp) != nil {
		return "", fmt.Errorf("import %s: %d %s", suite, code, raw)
	}
	id, _ := imp["id"].(string)
	for deadline := time.Now().Add(time.Minute); ; {
		code, raw, err := c.do(http.MethodGet, base+"/import/"+id, "", nil)
		if err != nil {
			return "", err
		}
		imp = map[string]any{}
		if code != http.StatusOK || json.Unmarshal(raw, &imp) != nil {
			return "", fmt.Errorf("import %s status: %d %s", suite, code, raw)
		}
		if st := imp["status"]; st == "done" {
			break
		} else if st == "error" || time.Now().After(deadline) {
			return "", fmt.Errorf("import %s: %s", suite, raw)
		}
		time.Sleep(100 * time.Millisecond)
	}
	md, _ := imp["metadata"].(map[string]any)
	runIDs, _ := md["run_id"].([]any)
	if len(runIDs) != 1 {
		return "", fmt.Errorf("import %s names no run: %v", suite, imp)
	}
	return fmt.Sprint(runIDs[0]), nil
}

// replicaProc is a process replicaStart started: its log, and stop, which
// sends SIGTERM and waits for it to end (killing it after 30 s).
type replicaProc struct {
	name, log string
	stop      func()
	cmd       *exec.Cmd
	exited    <-chan struct{} // closed when the process has ended
}

// waitReady polls url until it answers 200. A process that ends first, or
// is still not ready after within, fails the test at once with the end of
// its log in the message: a replica that crashed at start-up used to leave
// the test waiting out the whole time with the cause far up the output.
func (p *replicaProc) waitReady(t *testing.T, url string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		resp, err := http.Get(url)
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-p.exited:
			t.Fatalf("%s ended before it was ready (%v); its log ends:\n%s", p.name, p.cmd.ProcessState, p.logTail(1500))
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not ready after %s (%v); its log ends:\n%s", url, within, err, p.logTail(1500))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// logTail is the last n bytes of the process's log.
func (p *replicaProc) logTail(n int) string {
	b, _ := os.ReadFile(p.log)
	return tail(string(b), n)
}

// replicaHookSink receives the webhooks and counts them by idempotency key
// and by event and subject (the run, or the import).
type replicaHookSink struct {
	mu      sync.Mutex
	total   int
	byKey   map[string]int
	byEvent map[string]int
}

func (h *replicaHookSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var env struct {
		ID     string
		Type   string
		Run    *struct{ ID string }
		Import *struct{ ID string }
	}
	body, _ := io.ReadAll(r.Body)
	_ = json.Unmarshal(body, &env)
	subject := ""
	switch {
	case env.Import != nil:
		subject = env.Import.ID
	case env.Run != nil:
		subject = env.Run.ID
	}
	h.mu.Lock()
	h.total++
	h.byKey[r.Header.Get("Idempotency-Key")+" "+env.ID]++
	h.byEvent[env.Type+" "+subject]++
	h.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// count is how many deliveries of the given events arrived.
func (h *replicaHookSink) count(events ...string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for key, c := range h.byEvent {
		if slices.Contains(events, strings.SplitN(key, " ", 2)[0]) {
			n += c
		}
	}
	return n
}

// snapshot copies the counts.
func (h *replicaHookSink) snapshot() *replicaHookSink {
	h.mu.Lock()
	defer h.mu.Unlock()
	return &replicaHookSink{total: h.total, byKey: maps.Clone(h.byKey), byEvent: maps.Clone(h.byEvent)}
}

// replicaStart runs one of the built commands as a process named name, until
// the test ends; its log is shown when the test fails.
func replicaStart(t *testing.T, bin, command, name string, env []string) *replicaProc {
	t.Helper()
	logPath := filepath.Join(t.TempDir(), name+".log")
	out, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(bin, command))
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	stop := func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	}
	p := &replicaProc{name: name, log: logPath, stop: sync.OnceFunc(stop), cmd: cmd, exited: done}
	t.Cleanup(func() {
		p.stop()
		_ = out.Close()
		if t.Failed() {
			t.Logf("%s log (tail):\n%s", name, p.logTail(3000))
		}
	})
	return p
}

// replicaColumn returns the first column of a query's rows as text.
func replicaColumn(t *testing.T, conn *pgx.Conn, sql string, args ...any) []string {
	t.Helper()
	rows, err := conn.Query(context.Background(), sql, args...)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return out
}

// replicaWrongSummaries compares each run's summary with the counts SQL
// computes from its results, and describes every difference.
func replicaWrongSummaries(t *testing.T, conn *pgx.Conn, runs []string) []string {
	t.Helper()
	rows, err := conn.Query(context.Background(), `SELECT r.id::text, coalesce(r.summary::text, '{}'),
		count(x.id), count(x.id) FILTER (WHERE x.result = 'failed'), count(x.id) FILTER (WHERE x.result = 'error'),
		count(x.id) FILTER (WHERE x.result = 'skipped'), count(x.id) FILTER (WHERE x.result = 'xfailed'),
		count(x.id) FILTER (WHERE x.result = 'xpassed'), count(x.id) FILTER (WHERE x.result = 'passed')
		FROM runs r LEFT JOIN results x ON x.run_id = r.id WHERE r.id::text = ANY($1) GROUP BY r.id, r.summary`, runs)
	if err != nil {
		t.Fatalf("summaries: %v", err)
	}
	defer rows.Close()
	var wrong []string
	seen := 0
	for rows.Next() {
		var id, summary string
		var sql [7]int64
		if err := rows.Scan(&id, &summary, &sql[0], &sql[1], &sql[2], &sql[3], &sql[4], &sql[5], &sql[6]); err != nil {
			t.Fatalf("summaries: %v", err)
		}
		seen++
		var s map[string]float64
		if err := json.Unmarshal([]byte(summary), &s); err != nil {
			wrong = append(wrong, fmt.Sprintf("run %s: summary %s: %v", id, summary, err))
			continue
		}
		for i, key := range []string{"tests", "failures", "errors", "skips", "xfailures", "xpasses", "passes"} {
			if v, ok := s[key]; !ok || int64(v) != sql[i] {
				wrong = append(wrong, fmt.Sprintf("run %s: summary.%s = %v, its results count %d (summary %s)", id, key, s[key], sql[i], summary))
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("summaries: %v", err)
	}
	if seen != len(runs) {
		wrong = append(wrong, fmt.Sprintf("%d of %d runs found", seen, len(runs)))
	}
	return wrong
}

// replicaLogCount counts the JSON log lines of a process whose msg is msg
// (any, when empty), whose task_type is taskType (when given) and whose
// level is level (when given).
func replicaLogCount(t *testing.T, logPath, msg, taskType string, level ...string) int {
	t.Helper()
	f, err := os.Open(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var line struct {
			Level    string `json:"level"`
			Msg      string `json:"msg"`
			TaskType string `json:"task_type"`
		}
		if json.Unmarshal(sc.Bytes(), &line) != nil || msg != "" && line.Msg != msg ||
			len(level) > 0 && line.Level != level[0] {
			continue
		}
		if taskType == "" || line.TaskType == taskType {
			n++
		}
	}
	return n
}

// replicaRedisOpt parses a redis:// URL for asynq's inspector.
func replicaRedisOpt(t *testing.T, url string) asynq.RedisConnOpt {
	t.Helper()
	opt, err := asynq.ParseRedisURI(url)
	if err != nil {
		t.Fatalf("parse Redis URL: %v", err)
	}
	return opt
}
