-- The class-count triggers of 00021 decide in their own statement whether a
-- group is due for a fold, and call ibutsu_fingerprint_class_counts_fold
-- only when one is (about one statement in 32 per group), instead of on
-- every statement that wrote a delta row.
--
-- Why: the fold function's loop query takes its arrays as parameters, so
-- PL/pgSQL's plan cache compares a generic plan (unnest of an array of
-- unknown length, estimated at 10 groups: cost 84 on PostgreSQL 15) with
-- custom plans (the actual one group: cost 8) and keeps planning it afresh
-- on every call. With the automatic
-- classification rule on, every insert batch with a failure wrote a delta
-- row and paid that planning plus a PL/pgSQL call, the largest part of
-- what the rule added to the batch's statement in PostgreSQL (issue #21,
-- docs/performance.md). The check here has no parameters (it reads the
-- transition table), so one cached plan serves every call. (A helper SQL
-- function would not do: PostgreSQL 15 plans a SQL function's body again
-- on every call; a shared PL/pgSQL one would take the groups as
-- parameters, like the fold function, and be planned afresh too. So the
-- check is spelled out in each of the three functions.)
--
-- The check counts what the fold function counts: the group's rows before
-- this statement (at most 33 read, through the key index) plus the rows
-- the statement just appended to it (the statement's own snapshot does not
-- see those), more than 32 in all. The fold function is unchanged and
-- still checks again, under its advisory lock.

-- +goose Up

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
    SELECT array_agg(k.project_id), array_agg(k.fingerprint) INTO ps, fps
    FROM (SELECT project_id, fingerprint, count(*) AS added FROM ins GROUP BY 1, 2) k
    WHERE k.added + (SELECT count(*) FROM (SELECT 1 FROM ibutsu_fingerprint_class_counts c
           WHERE c.project_id = k.project_id AND c.fingerprint = k.fingerprint LIMIT 33) x) > 32;
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
    SELECT array_agg(k.project_id), array_agg(k.fingerprint) INTO ps, fps
    FROM (SELECT project_id, fingerprint, count(*) AS added FROM ins GROUP BY 1, 2) k
    WHERE k.added + (SELECT count(*) FROM (SELECT 1 FROM ibutsu_fingerprint_class_counts c
           WHERE c.project_id = k.project_id AND c.fingerprint = k.fingerprint LIMIT 33) x) > 32;
    IF ps IS NOT NULL THEN
        PERFORM ibutsu_fingerprint_class_counts_fold(ps, fps);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

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
    SELECT array_agg(k.project_id), array_agg(k.fingerprint) INTO ps, fps
    FROM (SELECT project_id, fingerprint, count(*) AS added FROM ins GROUP BY 1, 2) k
    WHERE k.added + (SELECT count(*) FROM (SELECT 1 FROM ibutsu_fingerprint_class_counts c
           WHERE c.project_id = k.project_id AND c.fingerprint = k.fingerprint LIMIT 33) x) > 32;
    IF ps IS NOT NULL THEN
        PERFORM ibutsu_fingerprint_class_counts_fold(ps, fps);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose Down

-- 00021's functions, which call the fold function on every statement that
-- wrote a delta row.

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
