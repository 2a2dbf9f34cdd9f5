package bench

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/objstore"
)

// objstoreTarget is the documented goal: artifact throughput through the
// API at least this share of the raw SDK's on the same bytes.
const objstoreTarget = 0.8

// objstoreArtifact is the size of one benchmark artifact: large enough to
// measure bytes, not requests, and under the 5 MiB upload cap.
const objstoreArtifact = 4 << 20

// objstoreThreshold keeps the other scenarios' small artifacts in the
// database while the benchmark's go to the store.
const objstoreThreshold = 1 << 20

// objstoreReads is how many times a round reads each object: reads are
// several times faster than writes, and a load should last long enough to
// be more than its start and end.
const objstoreReads = 2

// objectStoreConfig is the store the benchmark backend writes large
// artifacts to: a fresh bucket on the S3 server named by
// IBUTSU_BENCH_S3_ENDPOINT or IBUTSU_TEST_S3_ENDPOINT
// (http://ACCESS:SECRET@host:port); ok false without one.
func objectStoreConfig(raw string) (config.ObjectStore, bool, error) {
	if raw == "" {
		return config.ObjectStore{}, false, nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return config.ObjectStore{}, false, fmt.Errorf("S3 endpoint: want http://ACCESS:SECRET@host:port")
	}
	secret, _ := u.User.Password()
	return config.ObjectStore{Endpoint: u.Scheme + "://" + u.Host, Bucket: "ibutsu-bench-" + randomHex(6), Region: "us-east-1",
		AccessKey: u.User.Username(), SecretKey: secret, PathStyle: true, Prefix: "artifacts/", Threshold: objstoreThreshold,
		Redirect: true, RedirectLifetime: 5 * time.Minute}, true, nil
}

// objstore measures artifact upload and download through the API against
// the raw SDK's PutObject and GetObject of the same bytes, at the same
// concurrency, on the same bucket, in rounds: each round puts the objects
// both ways, then reads them the three ways, the order rotating from
// round to round, and a row judges the median of the rounds' own ratios
// (pairedMedian). Why rounds: one load of a gibibyte lasts about a second
// on two cores, so a single pair of loads was decided by whatever else ran
// in that second; in quiet runs the streamed view's one ratio went from
// 0.79 to 1.04 between runs of the same build.
func (e *Env) objstore(ctx context.Context, rep *Report, sc Scale) error {
	if e.bucket == nil {
		return fmt.Errorf("no S3 server: set IBUTSU_BENCH_S3_ENDPOINT or run scripts/ensure-services.sh")
	}
	o := &objLoads{e: e, s: e.bucket, n: 16, reads: objstoreReads, clients: 4, body: make([]byte, objstoreArtifact)}
	if sc.Name == "medium" || sc.Name == "large" {
		o.n = 64
	}
	_, _ = rand.Read(o.body) // incompressible, like screenshots and archives
	var run struct {
		ID string `json:"id"`
	}
	if err := e.call(ctx, "POST", "/api/run", fmt.Appendf(nil, `{"metadata":{"project":%q}}`, e.Ingest.String()), 201, &run); err != nil {
		return err
	}
	o.form, o.ctype = artifactForm(run.ID, o.body)
	proxy, stop, err := bareProxy(ctx, e.bucket)
	if err != nil {
		return err
	}
	defer stop()
	o.proxy = proxy
	rounds, cost, err := e.objstoreRounds(ctx, o, sc.fingerprintRoundsOf())
	if err != nil {
		return err
	}
	mb := float64(o.n) * float64(len(o.body)) / 1e6
	for _, c := range []struct {
		key, name, limitName string
		times                int
		judged               bool
	}{
		{"upload", "POST /api/artifact", "raw SDK PutObject", 1, true},
		{"proxy", "POST of the same form to a bare proxy (net/http, the body piped to PutObject; no parsing, checks or rows)", "raw SDK PutObject", 1, false},
		{"upload/proxy", "POST /api/artifact", "the bare proxy (above)", 1, false},
		{"view", "GET /api/artifact/{id}/view (streamed through the backend)", "raw SDK GetObject", o.reads, true},
		{"download", "GET /api/artifact/{id}/download (302 + presigned GET)", "raw SDK GetObject", o.reads, true},
	} {
		m := pairedMedian(rounds[c.key])
		bytes := float64(c.times) * mb
		row := Row{Scenario: "objstore", Case: fmt.Sprintf("%s, %d × 4 MiB a round, %d clients", c.name, o.n*c.times, o.clients), Unit: "MB/s",
			Value: bytes * m.value, Detail: "the median round: " + pairedSummary(rounds[c.key]) + cost.note(c.key),
			Limit:      fmt.Sprintf("%s of the same bytes, same bucket, %d clients, same round", c.limitName, o.clients),
			LimitValue: bytes * m.limit}
		if c.judged {
			row.Target, row.Met = "median round ≥ 0.8 of the raw SDK", met(m.ratio() >= objstoreTarget)
		}
		rep.add(row)
	}
	e.log.Info("objstore CPU per object", cost.logAttrs()...)
	return nil
}

// objstoreRounds runs the scenario's rounds: each puts the objects three
// ways (the raw SDK, the API, the bare proxy) and reads them three ways,
// the order rotating, and counts each write load's CPU.
func (e *Env) objstoreRounds(ctx context.Context, o *objLoads, nRounds int) (map[string][]pair, writeCosts, error) {
	writes := map[string]func(context.Context) (time.Duration, error){"raw put": o.rawPut, "upload": o.upload, "proxy": o.proxyPut}
	reads := map[string]func(context.Context) (time.Duration, error){"raw get": o.rawGet, "view": o.view, "download": o.download}
	rounds := map[string][]pair{}
	cost := writeCosts{}
	for r := range nRounds {
		took := map[string]time.Duration{}
		for _, k := range rotate([]string{"raw put", "upload", "proxy"}, r) {
			d, c, err := e.costed(ctx, o.n, writes[k])
			if err != nil {
				return nil, nil, fmt.Errorf("objstore round %d, %s: %w", r+1, k, err)
			}
			took[k], cost[k] = d, cost[k].add(c)
		}
		for _, k := range rotate([]string{"raw get", "view", "download"}, r) {
			d, err := reads[k](ctx)
			if err != nil {
				return nil, nil, fmt.Errorf("objstore round %d, %s: %w", r+1, k, err)
			}
			took[k] = d
		}
		// Rates are inverse times of the same bytes.
		rate := func(k string) float64 { return 1 / took[k].Seconds() }
		rounds["upload"] = append(rounds["upload"], pair{value: rate("upload"), limit: rate("raw put")})
		rounds["proxy"] = append(rounds["proxy"], pair{value: rate("proxy"), limit: rate("raw put")})
		rounds["upload/proxy"] = append(rounds["upload/proxy"], pair{value: rate("upload"), limit: rate("proxy")})
		for _, k := range []string{"view", "download"} {
			rounds[k] = append(rounds[k], pair{value: rate(k), limit: rate("raw get")})
		}
		if err := o.dropUploads(ctx); err != nil {
			return nil, nil, err
		}
	}
	return rounds, cost, nil
}

// writeCosts is each write load's CPU over all rounds.
type writeCosts map[string]objCost

// note is the CPU per object of a write row's two sides, for its detail:
// on a CPU-bound machine the ratio of the limit's CPU to the case's is
// what the rates' ratio tends to, however loaded the machine.
func (w writeCosts) note(key string) string {
	value, limit, ok := strings.Cut(key, "/")
	if !ok {
		limit = "raw put"
	}
	a, b := w[value], w[limit]
	if a.rows == 0 || b.rows == 0 {
		return ""
	}
	note := fmt.Sprintf("; CPU per object %s, the limit %s: CPU ratio %.2f", a, b, b.total()/a.total())
	if s3, ok := w.s3Mean(); ok {
		// The S3 server does the same work for every side's put (the same
		// PutObject of the same bytes); what differs between the loads'
		// figures is mostly its other clients on a shared server.
		own := func(c objCost) float64 { return c.perRow(c.bench+c.pg) + s3 }
		note += fmt.Sprintf(" (%.2f with the S3 server's mean over the three write loads, %.2f ms)", own(b)/own(a), s3)
	}
	return note
}

// s3Mean is the S3 server's mean CPU per object over the write loads.
func (w writeCosts) s3Mean() (float64, bool) {
	var sum float64
	for _, k := range []string{"raw put", "upload", "proxy"} {
		c := w[k]
		if c.rows == 0 || !c.s3Known {
			return 0, false
		}
		sum += c.perRow(c.s3)
	}
	return sum / 3, true
}

func (w writeCosts) logAttrs() []any {
	var a []any
	for _, k := range []string{"raw put", "upload", "proxy"} {
		a = append(a, k, w[k].String())
	}
	return a
}

// newBucket creates the benchmark's bucket; dropBucket empties and removes it.
func newBucket(ctx context.Context, cfg config.ObjectStore) (*objstore.Store, error) {
	s, err := objstore.New(cfg)
	if err != nil {
		return nil, err
	}
	return s, s.EnsureBucket(ctx)
}

func dropBucket(ctx context.Context, s *objstore.Store) error {
	all := s.Bucket(s.Name(), "")
	if err := all.List(ctx, "", func(o objstore.Object) error { return all.Delete(ctx, o.Key) }); err != nil {
		return err
	}
	return all.RemoveBucket(ctx)
}
