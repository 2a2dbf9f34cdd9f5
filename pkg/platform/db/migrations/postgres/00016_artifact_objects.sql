-- Artifacts whose bytes live in the S3-compatible object store
-- (docs/operations.md#object-storage). Upstream's `artifacts` row stays as it
-- is, with `content` NULL; this table says where the bytes are. It has no
-- foreign key on purpose: when the artifact row goes (a delete, retention, a
-- cascade from its result or run, or an upstream server on the same
-- database), the row stays behind as the durable record of an object to
-- delete, and the artifact.objects task removes the object and then the row.
--
-- ibutsu_s3_imports records each archive the S3 watcher imported, by bucket,
-- key and ETag, so an archive is imported once.

-- +goose Up

CREATE TABLE IF NOT EXISTS ibutsu_artifact_objects (
    artifact_id UUID        NOT NULL,
    key         TEXT        NOT NULL,
    size        BIGINT      NOT NULL,
    etag        TEXT        NOT NULL,
    created     TIMESTAMP   NOT NULL DEFAULT now(),
    CONSTRAINT ibutsu_artifact_objects_pkey PRIMARY KEY (artifact_id)
);

CREATE TABLE IF NOT EXISTS ibutsu_s3_imports (
    bucket      TEXT        NOT NULL,
    key         TEXT        NOT NULL,
    etag        TEXT        NOT NULL,
    import_id   UUID,
    created     TIMESTAMP   NOT NULL DEFAULT now(),
    CONSTRAINT ibutsu_s3_imports_pkey PRIMARY KEY (bucket, key, etag)
);

-- +goose Down

DROP TABLE IF EXISTS ibutsu_s3_imports;
DROP TABLE IF EXISTS ibutsu_artifact_objects;
