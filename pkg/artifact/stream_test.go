package artifact_test

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// TestParallelDownloadsStreamInChunks stores a 64 MiB artifact by SQL
// (older imports stored such; no upload could) and fetches it through
// /download and /view four times in parallel over real HTTP: every body
// is complete and correct, and the heap grows by a few chunks — not by
// the artifact per download, as loading it whole would.
func TestParallelDownloadsStreamInChunks(t *testing.T) {
	for _, sqlite := range []bool{false, true} {
		name := map[bool]string{false: "postgres", true: "sqlite"}[sqlite]
		t.Run(name, func(t *testing.T) {
			const size = 64 << 20
			const parallel = 4
			e := backendtest.New(t, backendtest.Options{SQLite: sqlite})
			p := e.CreateProject("p1", e.Admin)
			runID, artID := uuid.New(), uuid.New()
			if err := e.App.DB.Gorm.Create(&model.Run{ID: runID, ProjectID: &p.ID, Data: model.JSON{}}).Error; err != nil {
				t.Fatal(err)
			}
			// size bytes of "0123456789abcdef" repeated, made by the database.
			fill := "convert_to(repeat('0123456789abcdef', ?), 'UTF8')"
			if sqlite {
				fill = "CAST(replace(hex(zeroblob(?)), '00', '0123456789abcdef') AS BLOB)" // no repeat()
			}
			if err := e.App.DB.Gorm.Exec("INSERT INTO artifacts (id, run_id, filename, data, upload_date, content) VALUES (?, ?, 'big.log', '{}', ?, "+fill+")",
				artID, runID, time.Now().UTC(), size/16).Error; err != nil {
				t.Fatal(err)
			}
			want := sha256.Sum256([]byte(strings.Repeat("0123456789abcdef", size/16)))
			srv := httptest.NewServer(e.App.Router)
			defer srv.Close()

			runtime.GC()
			var base runtime.MemStats
			runtime.ReadMemStats(&base)
			var peak atomic.Uint64
			stop := make(chan struct{})
			sampled := make(chan struct{})
			go func() {
				defer close(sampled)
				var m runtime.MemStats
				for {
					runtime.ReadMemStats(&m)
					if m.HeapInuse > peak.Load() {
						peak.Store(m.HeapInuse)
					}
					select {
					case <-stop:
						return
					case <-time.After(5 * time.Millisecond):
					}
				}
			}()
			var wg sync.WaitGroup
			for i := range parallel {
				wg.Add(1)
				go func() {
					defer wg.Done()
					path := "/download"
					if i%2 == 1 {
						path = "/view"
					}
					req, _ := http.NewRequest("GET", srv.URL+"/api/artifact/"+artID.String()+path, nil)
					req.Header.Set("Authorization", "Bearer "+e.AdminToken)
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						t.Error(err)
						return
					}
					defer func() { _ = resp.Body.Close() }()
					h := sha256.New()
					got, err := io.Copy(h, resp.Body)
					if err != nil || resp.StatusCode != 200 || got != size || hex.EncodeToString(h.Sum(nil)) != hex.EncodeToString(want[:]) {
						t.Errorf("%s: %d, %d bytes, %v", path, resp.StatusCode, got, err)
					}
					if resp.Header.Get("Content-Length") != "67108864" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
						t.Errorf("%s headers: %v", path, resp.Header)
					}
				}()
			}
			wg.Wait()
			close(stop)
			<-sampled
			growth := int64(peak.Load()) - int64(base.HeapInuse)
			t.Logf("%d parallel downloads of %d MiB: heap in use grew by %d MiB at most", parallel, size>>20, growth>>20)
			// Unstreamed, the four downloads hold 4 × 64 MiB; streamed, the
			// 1 MiB reads add a few MiB, plus whatever the collector has
			// not yet reclaimed under -race and load (seen up to 48 MiB).
			// Half the unstreamed figure tells the two apart.
			if growth > int64(parallel)*size/2 {
				t.Errorf("heap grew by %d MiB for %d downloads of a %d MiB artifact: they are not streamed", growth>>20, parallel, size>>20)
			}
		})
	}
}
