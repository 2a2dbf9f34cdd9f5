-- Runs summarised before the summary rule counted passes (JUnit imports of
-- earlier releases of this server) have `tests` but no `passes`, so the runs
-- list showed an empty bar and sorted them wrongly. This adds `passes`, and
-- `pass_percent` where it is missing too, by the rule of docs/api-compatibility.md
-- (passes = tests - (errors + xpasses + xfailures + failures + skips),
-- pass_percent = floor(passes*100/tests) clamped to [0,100], 0 without tests).
-- Only summaries whose counts are all JSON numbers are touched; a run that has
-- `passes` already is left as it is, so the migration is idempotent. Data only:
-- upstream's own d18de2b3253f backfills pass_percent the same way.

-- +goose Up

UPDATE runs
SET summary = runs.summary
    || jsonb_build_object('passes', c.passes)
    || jsonb_build_object('pass_percent', coalesce(runs.summary -> 'pass_percent',
           to_jsonb(CASE WHEN c.tests > 0 THEN least(greatest(c.passes * 100 / c.tests, 0), 100) ELSE 0 END)))
FROM (
    SELECT id,
           trunc((summary ->> 'tests')::numeric)::bigint AS tests,
           trunc((summary ->> 'tests')::numeric)::bigint - (
               trunc(coalesce((summary ->> 'errors')::numeric, 0))::bigint
             + trunc(coalesce((summary ->> 'xpasses')::numeric, 0))::bigint
             + trunc(coalesce((summary ->> 'xfailures')::numeric, 0))::bigint
             + trunc(coalesce((summary ->> 'failures')::numeric, 0))::bigint
             + trunc(coalesce((summary ->> 'skips')::numeric, 0))::bigint) AS passes
    FROM runs
    WHERE jsonb_typeof(summary) = 'object'
      AND jsonb_typeof(summary -> 'tests') = 'number'
      AND NOT summary ? 'passes'
      AND coalesce(jsonb_typeof(summary -> 'errors'), 'number') = 'number'
      AND coalesce(jsonb_typeof(summary -> 'xpasses'), 'number') = 'number'
      AND coalesce(jsonb_typeof(summary -> 'xfailures'), 'number') = 'number'
      AND coalesce(jsonb_typeof(summary -> 'failures'), 'number') = 'number'
      AND coalesce(jsonb_typeof(summary -> 'skips'), 'number') = 'number'
) c
WHERE runs.id = c.id;

-- +goose Down

SELECT 1;
