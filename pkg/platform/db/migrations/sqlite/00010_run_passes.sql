-- Runs without `passes` in their summary (see ../postgres/00010).

-- +goose Up

UPDATE runs
SET summary = json_set(summary,
        '$.passes', c.passes,
        '$.pass_percent', coalesce(json_extract(summary, '$.pass_percent'),
            CASE WHEN c.tests > 0 THEN min(max(c.passes * 100 / c.tests, 0), 100) ELSE 0 END))
FROM (
    SELECT id,
           CAST(json_extract(summary, '$.tests') AS INTEGER) AS tests,
           CAST(json_extract(summary, '$.tests') AS INTEGER) - (
               coalesce(CAST(json_extract(summary, '$.errors') AS INTEGER), 0)
             + coalesce(CAST(json_extract(summary, '$.xpasses') AS INTEGER), 0)
             + coalesce(CAST(json_extract(summary, '$.xfailures') AS INTEGER), 0)
             + coalesce(CAST(json_extract(summary, '$.failures') AS INTEGER), 0)
             + coalesce(CAST(json_extract(summary, '$.skips') AS INTEGER), 0)) AS passes
    FROM runs
    WHERE json_valid(summary)
      AND json_type(summary) = 'object'
      AND json_type(summary, '$.tests') IN ('integer', 'real')
      AND json_type(summary, '$.passes') IS NULL
      AND coalesce(json_type(summary, '$.errors'), 'integer') IN ('integer', 'real')
      AND coalesce(json_type(summary, '$.xpasses'), 'integer') IN ('integer', 'real')
      AND coalesce(json_type(summary, '$.xfailures'), 'integer') IN ('integer', 'real')
      AND coalesce(json_type(summary, '$.failures'), 'integer') IN ('integer', 'real')
      AND coalesce(json_type(summary, '$.skips'), 'integer') IN ('integer', 'real')
) AS c
WHERE runs.id = c.id;

-- +goose Down

SELECT 1;
