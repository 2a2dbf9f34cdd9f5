-- Uploaded import files in 1 MiB chunks, in our own table so upstream's
-- import_files stays exactly as upstream builds it (a Python server may
-- share the database). A chunked file has an import_files row whose content
-- is NULL; its bytes are the chunks in seq order (seq 0, 1, ...; an empty
-- file is one empty chunk). Upload and import then stream the bytes instead
-- of holding a whole file in one bytea. The chunks go with their file row
-- (and so with their import, which import_files cascades from).

-- +goose Up

CREATE TABLE IF NOT EXISTS ibutsu_import_chunks (
    file_id uuid    NOT NULL,
    seq     integer NOT NULL,
    data    bytea   NOT NULL,
    CONSTRAINT ibutsu_import_chunks_pkey PRIMARY KEY (file_id, seq),
    CONSTRAINT ibutsu_import_chunks_file_id_fkey FOREIGN KEY (file_id) REFERENCES import_files (id) ON DELETE CASCADE,
    CONSTRAINT ibutsu_import_chunks_seq_check CHECK (seq >= 0)
);
-- Chunks live only until their import has run (then they are cleared):
-- compressing them would cost CPU on both upload and import for nothing,
-- so they are stored out of line, uncompressed.
ALTER TABLE ibutsu_import_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

-- +goose Down

DROP TABLE IF EXISTS ibutsu_import_chunks;
