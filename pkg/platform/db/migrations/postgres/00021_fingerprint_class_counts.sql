-- Classification counts per project, fingerprint and classification
-- (docs/triage.md, automatic classification rule): what the rule reads to
-- pick a failure's classification, kept by statement triggers on
-- ibutsu_fingerprint_classifications so the rule's read costs the same
-- whether the fingerprint has ten classified results or a million.
--
-- Before, the rule counted the classification rows themselves: a read of
-- every classified result of the fingerprint (with a heap visit each, the
-- rows being fresh) in every insert batch with a failure, so ingest slowed
-- as a busy cluster grew. Rows here are deltas, only ever appended inside
-- the writer's statement (like 00005's result counts), so concurrent writers
-- never wait on a shared counter row and a reader's snapshot matches the
-- classification rows exactly. The insert trigger folds a group's deltas
-- into one row once it holds more than 32 of them, under a transaction-level
-- advisory lock it only tries to take: a writer that finds another folding
-- the group skips the fold, never waits; the rows it deletes are exactly the
-- rows whose counts it sums (DELETE … RETURNING), so a fold can never count a
-- row twice or lose one. A group's read is thus at most a few dozen rows.
-- Rows without a project are not counted (the rule is per project).

-- +goose Up

CREATE TABLE IF NOT EXISTS ibutsu_fingerprint_class_counts (
    project_id     uuid   NOT NULL,
    fingerprint    text   NOT NULL,
    classification text   NOT NULL,
    n              bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_ibutsu_fingerprint_class_counts_key ON ibutsu_fingerprint_class_counts (project_id, fingerprint);

-- ibutsu_fingerprint_class_counts_fold folds the deltas of the groups in
-- g (project_id, fingerprint) that hold more than 32 rows, at most 8 groups
-- a call (so one statement takes few advisory locks; a group left over is
-- folded by a later write).
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_fingerprint_class_counts_fold(ps uuid[], fps text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    g record;
BEGIN
    FOR g IN
        SELECT k.p, k.fp FROM (SELECT DISTINCT p, fp FROM unnest(ps, fps) AS u(p, fp)) k
        WHERE (SELECT count(*) FROM (SELECT 1 FROM ibutsu_fingerprint_class_counts c
               WHERE c.project_id = k.p AND c.fingerprint = k.fp LIMIT 33) x) > 32
        LIMIT 8
    LOOP
        IF pg_try_advisory_xact_lock(1718185579, hashtext(g.p::text || '/' || g.fp)) THEN
            WITH d AS (
                DELETE FROM ibutsu_fingerprint_class_counts c
                WHERE c.project_id = g.p AND c.fingerprint = g.fp
                RETURNING c.classification, c.n
            )
            INSERT INTO ibutsu_fingerprint_class_counts (project_id, fingerprint, classification, n)
            SELECT g.p, g.fp, d.classification, sum(d.n) FROM d GROUP BY d.classification HAVING sum(d.n) <> 0;
        END IF;
    END LOOP;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_fingerprint_class_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ps uuid[];
    fps text[];
BEGIN
    WITH ins AS (
        INSERT INTO ibutsu_fingerprint_class_counts (project_id, fingerprint, classification, n)
        SELECT project_id, fingerprint, classification, count(*)
        FROM ibutsu_new_classes WHERE project_id IS NOT NULL GROUP BY 1, 2, 3
        RETURNING project_id, fingerprint
    )
    SELECT array_agg(project_id), array_agg(fingerprint) INTO ps, fps FROM ins;
    IF ps IS NOT NULL THEN
        PERFORM ibutsu_fingerprint_class_counts_fold(ps, fps);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_fingerprint_class_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ps uuid[];
    fps text[];
BEGIN
    WITH ins AS (
        INSERT INTO ibutsu_fingerprint_class_counts (project_id, fingerprint, classification, n)
        SELECT project_id, fingerprint, classification, -count(*)
        FROM ibutsu_old_classes WHERE project_id IS NOT NULL GROUP BY 1, 2, 3
        RETURNING project_id, fingerprint
    )
    SELECT array_agg(project_id), array_agg(fingerprint) INTO ps, fps FROM ins;
    IF ps IS NOT NULL THEN
        PERFORM ibutsu_fingerprint_class_counts_fold(ps, fps);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- An UPDATE that changes none of the counted columns nets to zero per group
-- and adds nothing.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_fingerprint_class_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ps uuid[];
    fps text[];
BEGIN
    WITH ins AS (
        INSERT INTO ibutsu_fingerprint_class_counts (project_id, fingerprint, classification, n)
        SELECT project_id, fingerprint, classification, sum(n) FROM (
            SELECT project_id, fingerprint, classification, -1 AS n FROM ibutsu_old_classes WHERE project_id IS NOT NULL
            UNION ALL
            SELECT project_id, fingerprint, classification, 1 FROM ibutsu_new_classes WHERE project_id IS NOT NULL
        ) d GROUP BY 1, 2, 3 HAVING sum(n) <> 0
        RETURNING project_id, fingerprint
    )
    SELECT array_agg(project_id), array_agg(fingerprint) INTO ps, fps FROM ins;
    IF ps IS NOT NULL THEN
        PERFORM ibutsu_fingerprint_class_counts_fold(ps, fps);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ibutsu_fingerprint_class_counts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE ibutsu_fingerprint_class_counts;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- Drop before create: an interrupted run of this migration can run again.
DROP TRIGGER IF EXISTS ibutsu_fingerprint_class_counts_insert ON ibutsu_fingerprint_classifications;
DROP TRIGGER IF EXISTS ibutsu_fingerprint_class_counts_delete ON ibutsu_fingerprint_classifications;
DROP TRIGGER IF EXISTS ibutsu_fingerprint_class_counts_update ON ibutsu_fingerprint_classifications;
DROP TRIGGER IF EXISTS ibutsu_fingerprint_class_counts_truncate ON ibutsu_fingerprint_classifications;
CREATE TRIGGER ibutsu_fingerprint_class_counts_insert AFTER INSERT ON ibutsu_fingerprint_classifications
    REFERENCING NEW TABLE AS ibutsu_new_classes
    FOR EACH STATEMENT EXECUTE FUNCTION ibutsu_fingerprint_class_counts_insert();
CREATE TRIGGER ibutsu_fingerprint_class_counts_delete AFTER DELETE ON ibutsu_fingerprint_classifications
    REFERENCING OLD TABLE AS ibutsu_old_classes
    FOR EACH STATEMENT EXECUTE FUNCTION ibutsu_fingerprint_class_counts_delete();
CREATE TRIGGER ibutsu_fingerprint_class_counts_update AFTER UPDATE ON ibutsu_fingerprint_classifications
    REFERENCING OLD TABLE AS ibutsu_old_classes NEW TABLE AS ibutsu_new_classes
    FOR EACH STATEMENT EXECUTE FUNCTION ibutsu_fingerprint_class_counts_update();
CREATE TRIGGER ibutsu_fingerprint_class_counts_truncate AFTER TRUNCATE ON ibutsu_fingerprint_classifications
    FOR EACH STATEMENT EXECUTE FUNCTION ibutsu_fingerprint_class_counts_truncate();

-- Backfill in the triggers' transaction (CREATE TRIGGER locks the table
-- against writes until it commits): nothing missed or counted twice.
TRUNCATE ibutsu_fingerprint_class_counts;
INSERT INTO ibutsu_fingerprint_class_counts (project_id, fingerprint, classification, n)
SELECT project_id, fingerprint, classification, count(*)
FROM ibutsu_fingerprint_classifications WHERE project_id IS NOT NULL GROUP BY 1, 2, 3;

-- +goose Down

DROP TRIGGER IF EXISTS ibutsu_fingerprint_class_counts_insert ON ibutsu_fingerprint_classifications;
DROP TRIGGER IF EXISTS ibutsu_fingerprint_class_counts_delete ON ibutsu_fingerprint_classifications;
DROP TRIGGER IF EXISTS ibutsu_fingerprint_class_counts_update ON ibutsu_fingerprint_classifications;
DROP TRIGGER IF EXISTS ibutsu_fingerprint_class_counts_truncate ON ibutsu_fingerprint_classifications;
DROP FUNCTION IF EXISTS ibutsu_fingerprint_class_counts_insert();
DROP FUNCTION IF EXISTS ibutsu_fingerprint_class_counts_delete();
DROP FUNCTION IF EXISTS ibutsu_fingerprint_class_counts_update();
DROP FUNCTION IF EXISTS ibutsu_fingerprint_class_counts_truncate();
DROP FUNCTION IF EXISTS ibutsu_fingerprint_class_counts_fold(uuid[], text[]);
DROP TABLE IF EXISTS ibutsu_fingerprint_class_counts;
