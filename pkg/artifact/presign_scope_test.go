package artifact_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestPresignedURLScope: a presigned download URL names one object for a
// short time. Re-pointed at another project's object, or with a longer
// lifetime written into it, the store refuses it and the other project's
// bytes never come back.
func TestPresignedURLScope(t *testing.T) {
	e, _ := objEnv(t, false, true)
	rows := objectRows(t, e)
	mine, theirs := rows[e.mine["runArt"]], rows[e.theirs["runArt"]]
	d := e.Do("GET", "/api/artifact/"+e.mine["runArt"]+"/download", nil, e.UserToken)
	loc := d.Header().Get("Location")
	if d.Code != http.StatusFound || loc == "" || !strings.Contains(loc, mine.Key) {
		t.Fatalf("download: %d %q (key %s)", d.Code, loc, mine.Key)
	}
	get := func(u string) (int, string) {
		t.Helper()
		resp, err := http.Get(u) //nolint:noctx // the presigned URL itself
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get(loc); code != 200 || body != "console of mine" {
		t.Fatalf("own presigned URL: %d %q", code, body)
	}
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("X-Amz-Expires", "604800")
	longer := *u
	longer.RawQuery = q.Encode()
	for name, tampered := range map[string]string{
		"another project's key": strings.Replace(loc, mine.Key, theirs.Key, 1),
		"a longer lifetime":     longer.String(),
	} {
		code, body := get(tampered)
		if code == 200 || strings.Contains(body, "console of theirs") {
			t.Errorf("%s: %d %q", name, code, body)
		}
	}
}
