-- Artifacts in the object store and the S3 watcher's imports (see ../postgres/00016).

-- +goose Up

CREATE TABLE IF NOT EXISTS ibutsu_artifact_objects (
    artifact_id TEXT     NOT NULL,
    key         TEXT     NOT NULL,
    size        INTEGER  NOT NULL,
    etag        TEXT     NOT NULL,
    created     DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT ibutsu_artifact_objects_pkey PRIMARY KEY (artifact_id)
);

CREATE TABLE IF NOT EXISTS ibutsu_s3_imports (
    bucket      TEXT     NOT NULL,
    key         TEXT     NOT NULL,
    etag        TEXT     NOT NULL,
    import_id   TEXT,
    created     DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT ibutsu_s3_imports_pkey PRIMARY KEY (bucket, key, etag)
);

-- +goose Down

DROP TABLE IF EXISTS ibutsu_s3_imports;
DROP TABLE IF EXISTS ibutsu_artifact_objects;
