// Package objstore talks to an S3-compatible object store (AWS S3,
// versitygw, Ceph RGW, ...) through the minio-go SDK: what the artifact
// store, its reconciliation and the S3 watcher need, and nothing more.
package objstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
)

// Store is one bucket of an S3-compatible server.
type Store struct {
	c      *minio.Client
	bucket string
	prefix string
}

// Object is what a listing or a stat tells about one object.
type Object struct {
	Key          string
	Size         int64
	ETag         string
	LastModified time.Time
}

// New connects to cfg's server and bucket; nil, nil when no bucket is
// configured (the store is off).
func New(cfg config.ObjectStore) (*Store, error) {
	if !cfg.Enabled() {
		return nil, nil
	}
	c, err := Client(cfg)
	if err != nil {
		return nil, err
	}
	return &Store{c: c, bucket: cfg.Bucket, prefix: cfg.Prefix}, nil
}

// Open connects to cfg's server whether or not a bucket is configured (the
// S3 watcher reads other buckets through Bucket).
func Open(cfg config.ObjectStore) (*Store, error) {
	c, err := Client(cfg)
	if err != nil {
		return nil, err
	}
	return &Store{c: c, bucket: cfg.Bucket, prefix: cfg.Prefix}, nil
}

// Client builds the SDK client for cfg's endpoint and credentials: the
// configured keys, or else the usual AWS variables, files and instance roles.
func Client(cfg config.ObjectStore) (*minio.Client, error) {
	endpoint, secure := "s3.amazonaws.com", true
	if cfg.Endpoint != "" {
		u, err := url.Parse(cfg.Endpoint)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("object store endpoint %q: want a URL like https://s3.example.com", cfg.Endpoint)
		}
		endpoint, secure = u.Host, u.Scheme != "http"
	}
	var creds *credentials.Credentials
	if cfg.AccessKey != "" {
		creds = credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, cfg.SessionToken)
	} else {
		creds = credentials.NewChainCredentials([]credentials.Provider{
			&credentials.EnvAWS{}, &credentials.FileAWSCredentials{}, &credentials.IAM{Client: &http.Client{Transport: http.DefaultTransport}},
		})
	}
	lookup := minio.BucketLookupAuto
	if cfg.PathStyle {
		lookup = minio.BucketLookupPath
	}
	c, err := minio.New(endpoint, &minio.Options{Creds: creds, Secure: secure, Region: cfg.Region, BucketLookup: lookup})
	if err != nil {
		return nil, fmt.Errorf("object store client: %w", err)
	}
	return c, nil
}

// Bucket is the same server's bucket b, with the key prefix p.
func (s *Store) Bucket(b, p string) *Store { return &Store{c: s.c, bucket: b, prefix: p} }

// Name is the store's bucket.
func (s *Store) Name() string { return s.bucket }

// Endpoint is the URL of the store's server.
func (s *Store) Endpoint() string { return s.c.EndpointURL().String() }

// Prefix starts every key the store writes and lists.
func (s *Store) Prefix() string { return s.prefix }

// CheckBucket asks the store whether the bucket exists: nil when it does,
// an error wrapping ErrNoBucket when the store says it does not, and one
// wrapping ErrUnavailable when the store could not be asked.
func (s *Store) CheckBucket(ctx context.Context) error {
	ok, err := s.c.BucketExists(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("object store bucket %s at %s: %w: %w", s.bucket, s.Endpoint(), ErrUnavailable, err)
	}
	if !ok {
		return fmt.Errorf("object store bucket %s at %s: %w", s.bucket, s.Endpoint(), ErrNoBucket)
	}
	return nil
}

// EnsureBucket creates the bucket unless it exists.
func (s *Store) EnsureBucket(ctx context.Context) error {
	ok, err := s.c.BucketExists(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("object store bucket %s: %w", s.bucket, err)
	}
	if ok {
		return nil
	}
	if err := s.c.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{}); err != nil {
		return fmt.Errorf("create bucket %s: %w", s.bucket, err)
	}
	return nil
}

// Put stores size bytes from r under key and returns the object's ETag.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64) (string, error) {
	info, err := s.c.PutObject(ctx, s.bucket, key, r, size, minio.PutObjectOptions{ContentType: "application/octet-stream"})
	if err != nil {
		return "", wrap("put object", key, err)
	}
	return info.ETag, nil
}

// PutBytes stores b under key and returns the object's ETag. Over plain
// HTTP the request carries b's SHA-256 in its signature, as one signed
// payload: the store checks the body against it, as it checks each chunk
// of the SDK's streaming signature, which PutObject uses for any reader
// on plain HTTP. Sent whole, the bytes go from b to the connection with
// no chunk framing: the SDK's streaming signer copies every 64 KiB twice
// (into its chunk and its output buffer) and signs each chunk, and the
// store parses and checks the chunks (docs/performance.md#object-storage).
// Over TLS the SDK's own choice stands (PutObject).
func (s *Store) PutBytes(ctx context.Context, key string, b []byte) (string, error) {
	if s.c.EndpointURL().Scheme == "https" {
		return s.Put(ctx, key, bytes.NewReader(b), int64(len(b)))
	}
	sum := sha256.Sum256(b)
	opts := minio.PutObjectOptions{ContentType: "application/octet-stream", DisableContentSha256: true}
	info, err := minio.Core{Client: s.c}.PutObject(ctx, s.bucket, key, bytes.NewReader(b), int64(len(b)), "", hex.EncodeToString(sum[:]), opts)
	if err != nil {
		return "", wrap("put object", key, err)
	}
	return info.ETag, nil
}

// Get opens key for reading from offset off; the reader holds one HTTP
// response, not the object.
func (s *Store) Get(ctx context.Context, key string, off int64) (io.ReadCloser, error) {
	opts := minio.GetObjectOptions{}
	if off > 0 {
		if err := opts.SetRange(off, 0); err != nil {
			return nil, fmt.Errorf("get object %s: %w", key, err)
		}
	}
	o, err := s.c.GetObject(ctx, s.bucket, key, opts)
	if err != nil {
		return nil, s.wrapMissing(ctx, "get object", key, err)
	}
	// The SDK sends the request on first use: do it now, so a missing key
	// is an error here rather than in the middle of a response.
	if _, err := o.Stat(); err != nil {
		_ = o.Close()
		return nil, s.wrapMissing(ctx, "get object", key, err)
	}
	return o, nil
}

// Stat describes key, or ErrNotFound.
func (s *Store) Stat(ctx context.Context, key string) (Object, error) {
	info, err := s.c.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return Object{}, s.wrapMissing(ctx, "stat object", key, err)
	}
	return Object{Key: info.Key, Size: info.Size, ETag: info.ETag, LastModified: info.LastModified}, nil
}

// Delete removes key; a key that is already gone is no error.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := s.c.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}); err != nil {
		if isNotFound(err) && !isNoBucket(err) {
			return nil
		}
		return wrap("delete object", key, err)
	}
	return nil
}

// List calls fn for every object whose key starts with the store's prefix
// followed by sub, in key order.
func (s *Store) List(ctx context.Context, sub string, fn func(Object) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for info := range s.c.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix + sub, Recursive: true}) {
		if info.Err != nil {
			return fmt.Errorf("list %s/%s: %w", s.bucket, s.prefix+sub, info.Err)
		}
		if err := fn(Object{Key: info.Key, Size: info.Size, ETag: strings.Trim(info.ETag, `"`), LastModified: info.LastModified}); err != nil {
			return err
		}
	}
	return nil
}

// PresignGet is a URL that downloads key for lifetime without credentials,
// as an attachment named filename when it is not empty.
func (s *Store) PresignGet(ctx context.Context, key, filename string, lifetime time.Duration) (string, error) {
	params := url.Values{}
	if filename != "" {
		params.Set("response-content-disposition", contentDisposition(filename))
	}
	u, err := s.c.PresignedGetObject(ctx, s.bucket, key, lifetime, params)
	if err != nil {
		return "", fmt.Errorf("presign %s: %w", key, err)
	}
	return u.String(), nil
}

// RemoveBucket deletes the (empty) bucket.
func (s *Store) RemoveBucket(ctx context.Context) error {
	if err := s.c.RemoveBucket(ctx, s.bucket); err != nil {
		return fmt.Errorf("remove bucket %s: %w", s.bucket, err)
	}
	return nil
}
