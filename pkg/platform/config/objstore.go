package config

import (
	"strings"
	"time"
)

// ObjectStore is the S3-compatible store for artifact bytes
// (docs/operations.md#object-storage). Without a bucket it is off and every
// artifact stays in the database, as upstream keeps them.
type ObjectStore struct {
	// Endpoint is the server's URL (https://s3.amazonaws.com when empty);
	// an http:// URL talks plain HTTP.
	Endpoint string
	Bucket   string
	Region   string
	// Credentials; empty means the usual AWS variables, files and roles.
	AccessKey, SecretKey, SessionToken string
	// PathStyle addresses the bucket in the path (most S3-compatible
	// servers) instead of the host name.
	PathStyle bool
	// Prefix starts every artifact key.
	Prefix string
	// Threshold: artifacts of at least this many bytes go to the store
	// (0: all of them).
	Threshold int64
	// Redirect answers downloads with a 302 to a presigned URL valid for
	// RedirectLifetime instead of streaming the bytes through the backend.
	Redirect         bool
	RedirectLifetime time.Duration
	// Watch binds buckets/prefixes that pytest-ibutsu's S3 mode uploads to
	// to the projects their archives may import into
	// (docs/operations.md#s3-watcher).
	Watch []WatchBinding
}

// WatchBinding is one bucket (and key prefix) the S3 watcher imports from,
// and the projects (names or ids) its archives may write to: with one, every
// archive goes into it; with several, each archive must name one of them.
type WatchBinding struct {
	Bucket, Prefix string
	Projects       []string
}

// parseWatch reads "bucket[/prefix]=project[,project...]" bindings separated
// by ";" or new lines.
func parseWatch(s string) ([]WatchBinding, bool) {
	var out []WatchBinding
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '\n' }) {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		where, projects, ok := strings.Cut(part, "=")
		if !ok {
			return nil, false
		}
		bucket, prefix, _ := strings.Cut(strings.TrimSpace(where), "/")
		b := WatchBinding{Bucket: bucket, Prefix: prefix}
		for _, p := range strings.Split(projects, ",") {
			if p = strings.TrimSpace(p); p != "" {
				b.Projects = append(b.Projects, p)
			}
		}
		if b.Bucket == "" || len(b.Projects) == 0 {
			return nil, false
		}
		out = append(out, b)
	}
	return out, true
}

// Enabled reports whether artifacts may go to the object store.
func (o ObjectStore) Enabled() bool { return o.Bucket != "" }

func (p *parser) objectStore() ObjectStore {
	o := ObjectStore{
		Endpoint:         p.str("object_store.endpoint"),
		Bucket:           p.str("object_store.bucket"),
		Region:           p.str("object_store.region"),
		AccessKey:        p.str("object_store.access_key"),
		SecretKey:        p.str("object_store.secret_key"),
		SessionToken:     p.str("object_store.session_token"),
		PathStyle:        p.boolean("object_store.path_style"),
		Prefix:           p.str("object_store.prefix"),
		Threshold:        int64(p.nonNegInt("object_store.threshold_bytes")),
		Redirect:         p.boolean("object_store.redirect"),
		RedirectLifetime: p.dur("object_store.redirect_lifetime"),
	}
	w, ok := parseWatch(p.str("object_store.watch"))
	if !ok {
		p.fail("object_store.watch", "want bucket[/prefix]=project[,project...] bindings separated by ';'")
	}
	o.Watch = w
	if o.Redirect && o.RedirectLifetime <= 0 {
		p.fail("object_store.redirect_lifetime", "must be positive when redirects are on")
	}
	return o
}
