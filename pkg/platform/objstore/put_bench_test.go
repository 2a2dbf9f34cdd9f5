package objstore_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/platform/objstore"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/cpuclock"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/testenv"
)

// BenchmarkPut puts a 4 MiB object on the test server with the SDK's
// streaming signature (Put, for any reader on plain HTTP) and as one
// signed payload (PutBytes), reporting this process's CPU time per object
// (cpu-ns/op): on a shared machine much less load-dependent than the
// wall clock. The S3 server's own CPU is not in it.
func BenchmarkPut(b *testing.B) {
	ctx := context.Background()
	s, err := objstore.New(testenv.S3Config(b))
	if err != nil {
		b.Fatal(err)
	}
	body := make([]byte, 4<<20)
	_, _ = rand.Read(body)
	for _, bc := range []struct {
		name string
		put  func(key string) (string, error)
	}{
		{"streaming", func(key string) (string, error) { return s.Put(ctx, key, bytes.NewReader(body), int64(len(body))) }},
		{"signed", func(key string) (string, error) { return s.PutBytes(ctx, key, body) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			cpu0, i := cpuclock.Used(b), 0
			for b.Loop() {
				if _, err := bc.put(fmt.Sprintf("bench/%s/%d", bc.name, i%8)); err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.ReportMetric(float64(cpuclock.Used(b)-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}
