package bench

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// TestListeningInodes reads only sockets in state LISTEN (0A) on the
// port, over IPv4 and IPv6 lines alike.
func TestListeningInodes(t *testing.T) {
	text := `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1B9E 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4711 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1B9E 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 4712 1 0000000000000000 20 4 30 10 -1
   2: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4713 1 0000000000000000 100 0 0 10 0
   3: 00000000000000000000000001000000:1B9E 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4714 1 0000000000000000 100 0 0 10 0
`
	got := listeningInodes([]byte(text), 7070)
	if want := []string{"4711", "4714"}; !slices.Equal(got, want) {
		t.Errorf("listeningInodes = %v, want %v", got, want)
	}
	if got := listeningInodes([]byte(text), 9999); len(got) != 0 {
		t.Errorf("port 9999: %v, want none", got)
	}
}

// TestLocateS3 finds the process that serves the test S3 server when it
// runs here (scripts/ensure-services.sh starts it), counts its CPU time,
// and finds nothing for a remote host or this process's own listener.
func TestLocateS3(t *testing.T) {
	cfg := testenv.S3Config(t)
	if pid := locateS3(cfg.Endpoint); pid != 0 {
		if pid == os.Getpid() {
			t.Fatalf("locateS3 found this process")
		}
		if d, err := threadsCPU(pid); err != nil || d <= 0 {
			t.Errorf("threadsCPU(%d) = %v, %v", pid, d, err)
		}
	} else if h, _, _ := net.SplitHostPort(cfg.Endpoint[len("http://"):]); h == "127.0.0.1" {
		t.Errorf("the S3 server at %s listens here, but locateS3 did not find it", cfg.Endpoint)
	}
	if pid := locateS3("http://s3.example.com:7070"); pid != 0 {
		t.Errorf("remote host: pid %d, want 0", pid)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ln.Close() }()
	if pid := locateS3("http://" + ln.Addr().String()); pid != 0 {
		t.Errorf("own listener: pid %d, want 0", pid)
	}
}

// TestBareProxy: the proxy stores exactly the posted body under its key
// and answers 201 with an id, as the upload does.
func TestBareProxy(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// The bucket and its objects go when the test ends (testenv).
	s, err := newBucket(ctx, testenv.S3Config(t))
	if err != nil {
		t.Fatal(err)
	}
	base, stop, err := bareProxy(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	body := bytes.Repeat([]byte("0123456789abcdef"), 70_000)
	form, ctype := artifactForm("00000000-0000-0000-0000-000000000001", body)
	e := &Env{HTTP: &http.Client{Timeout: time.Minute}}
	code, b, err := e.requestURL(ctx, "POST", base+"/proxy/7", form, ctype)
	if err != nil || code != http.StatusCreated || !bytes.Contains(b, []byte(`"id"`)) {
		t.Fatalf("proxy: %d %v %s", code, err, b)
	}
	o, err := s.Stat(ctx, "proxy/7")
	if err != nil {
		t.Fatal(err)
	}
	if o.Size != int64(len(form)) {
		t.Errorf("stored %d bytes, want the form's %d", o.Size, len(form))
	}
	r, err := s.Get(ctx, "proxy/7", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = r.Close() }()
	var got bytes.Buffer
	if _, err := got.ReadFrom(r); err != nil || !bytes.Equal(got.Bytes(), form) {
		t.Errorf("stored bytes differ from the form (err %v)", err)
	}
}

// TestWriteCostsNote: a write row's detail gives both sides' CPU per
// object and its ratio, and the ratio again with the S3 server's mean
// over the three loads in place of each side's own figure; without the
// S3 server's figures only the first.
func TestWriteCostsNote(t *testing.T) {
	ms := func(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond) * 10) } // 10 objects
	c := func(bench, pg, s3 float64) objCost {
		return objCost{loadCost: loadCost{rows: 10, bench: ms(bench), pg: ms(pg), pgKnown: true}, s3: ms(s3), s3Known: true}
	}
	w := writeCosts{"raw put": c(7, 0, 18), "upload": c(12, 2, 21), "proxy": c(10, 0, 18)}
	got := w.note("upload")
	for _, want := range []string{"CPU per object bench 12.00 + PG 2.00 + S3 server 21.00 = 35.00 ms", "the limit bench 7.00 + PG 0.00 + S3 server 18.00 = 25.00 ms",
		"CPU ratio 0.71", "(0.79 with the S3 server's mean over the three write loads, 19.00 ms)"} {
		if !strings.Contains(got, want) {
			t.Errorf("note(upload) = %q, want %q in it", got, want)
		}
	}
	if got := w.note("upload/proxy"); !strings.Contains(got, "CPU ratio 0.80 (0.88 with") {
		t.Errorf("note(upload/proxy) = %q", got)
	}
	if got := w.note("view"); got != "" {
		t.Errorf("note(view) = %q, want none", got)
	}
	p := w["proxy"]
	p.s3Known = false
	w["proxy"] = p
	if got := w.note("upload"); strings.Contains(got, "mean") || !strings.Contains(got, "CPU ratio") {
		t.Errorf("without the S3 server's figures: %q", got)
	}
}
