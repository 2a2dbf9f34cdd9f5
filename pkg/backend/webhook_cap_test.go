package backend_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/testkit/backendtest"
)

// TestWebhooksPerProjectAreBounded: every event of a project is one
// delivery per subscription, so an owner with unbounded subscriptions to
// one URL turned each run they finished into that many requests to it.
// Thirty concurrent creates in one project leave exactly twenty webhooks;
// the others are a 400 JSON problem, and another project is not affected.
func TestWebhooksPerProjectAreBounded(t *testing.T) {
	eachDB(t, func(t *testing.T, sqlite bool) {
		e := backendtest.New(t, backendtest.Options{SQLite: sqlite})
		tok := e.TokenFor(e.CreateUser("hooks@example.com", "pw", false))
		p := mustOK(t, e.Do("POST", "/api/project", map[string]any{"name": "hooks"}, tok), "project")["id"].(string)
		other := mustOK(t, e.Do("POST", "/api/project", map[string]any{"name": "other"}, tok), "project")["id"].(string)
		body := func(i int) map[string]any {
			return map[string]any{"name": fmt.Sprint("h", i), "url": "https://hooks.example/x", "secret": "0123456789abcdef-xyz", "events": []any{"run.finished"}}
		}
		codes := make([]int, 30)
		bodies := make([]string, 30)
		var wg sync.WaitGroup
		for i := range codes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := e.Do("POST", "/api/project/"+p+"/webhooks", body(i), tok)
				codes[i], bodies[i] = r.Code, r.Body.String()
			}()
		}
		wg.Wait()
		created := 0
		for i, c := range codes {
			switch {
			case c == 201:
				created++
			case c != 400 || !strings.Contains(bodies[i], "at most 20 webhooks"):
				t.Errorf("create %d: %d %s, want 201 or a 400 naming the bound", i, c, bodies[i])
			}
		}
		var n int64
		if err := e.App.DB.Gorm.Table("ibutsu_webhooks").Where("project_id = ?", p).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		if created != 20 || n != 20 {
			t.Errorf("%d created, %d stored, want 20 and 20", created, n)
		}
		mustOK(t, e.Do("POST", "/api/project/"+other+"/webhooks", body(0), tok), "another project's webhook")
	})
}
