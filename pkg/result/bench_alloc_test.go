package result_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/result"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testdb"
)

// BenchmarkCreateViewAllocs counts what POST /api/result's service call
// allocates for a failure against the same request marked passed (same
// metadata and traceback, one result a batch): a count, which the
// machine's other load does not move the way it moves CPU time, of the Go
// work a failure adds (the fingerprint, its marks' look-up, the batch
// statement's columns). Run with
//
//	go test -run - -bench CreateViewAllocs -benchtime 2000x ./pkg/result
func BenchmarkCreateViewAllocs(b *testing.B) {
	d := testdb.Both(b)["postgres"]
	ctx := context.Background()
	p := seedFailureProject(b, d, "allocs", 20)
	svc := quietService(d)
	defer svc.Close()
	for _, status := range []string{"passed", "failed"} {
		b.Run(status, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				req := result.CreateRequest{TestID: model.Ptr(fmt.Sprintf("t.%d", i)), Result: model.Ptr(status), Metadata: p.failureMetadata(i)}
				if _, err := svc.CreateView(ctx, p.owner, req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
