-- Uploaded import files in 1 MiB chunks, in our own table (see
-- ../postgres/00004): a chunked file has an import_files row whose content
-- is NULL and its bytes in seq order here (an empty file is one empty
-- chunk). The chunks go with their file row.

-- +goose Up

CREATE TABLE IF NOT EXISTS ibutsu_import_chunks (
    file_id TEXT    NOT NULL,
    seq     INTEGER NOT NULL,
    data    BLOB    NOT NULL,
    CONSTRAINT ibutsu_import_chunks_pkey PRIMARY KEY (file_id, seq),
    CONSTRAINT ibutsu_import_chunks_file_id_fkey FOREIGN KEY (file_id) REFERENCES import_files (id) ON DELETE CASCADE,
    CONSTRAINT ibutsu_import_chunks_seq_check CHECK (seq >= 0)
);

-- +goose Down

DROP TABLE IF EXISTS ibutsu_import_chunks;
