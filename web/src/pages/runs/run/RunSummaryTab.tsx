// The run's summary: a tile per outcome (each opens the results list
// narrowed to this run and that outcome) and the run's metadata.
import { Link } from 'react-router-dom';
import { Card, CardBody, DescriptionList, Label, LabelGroup, Title, Tooltip } from '@patternfly/react-core';
import { ExternalLinkAltIcon } from '@patternfly/react-icons';
import type { Run } from '../../../api/types';
import { formatDate, formatDuration, formatPercent } from '../../../components/format';
import { Term } from '../../../components/Term';
import { jenkinsInfo, resultsLink, summaryTiles, type Tile } from './summary';
import './run.css';

// Text tokens, not icon tokens: the numbers are text and need 3:1 contrast.
// PatternFly's warning yellow has 2.2:1 on white, so errors use run.css's
// darker shade in the light theme.
const TILE_COLORS: Record<string, string> = {
  passed: 'var(--pf-t--global--text--color--status--success--default)',
  failed: 'var(--pf-t--global--text--color--status--danger--default)',
  error: 'var(--ibutsu-tile--warning-color)',
  skipped: 'var(--pf-t--global--text--color--subtle)',
  xfailed: 'var(--pf-t--global--color--nonstatus--purple--default)',
  xpassed: 'var(--pf-t--global--color--nonstatus--teal--default)',
};

function tileValue(t: Tile): string {
  if (t.key === 'duration') return formatDuration(t.value);
  if (t.key === 'pass_percent') return formatPercent(t.value);
  return t.value === null ? '–' : t.value.toLocaleString();
}

function TileCard({ tile, to }: { tile: Tile; to: string | null }) {
  const body = (
    <>
      <span
        className="ibutsu-tile__value"
        style={{ color: tile.status && tile.value ? TILE_COLORS[tile.status] : undefined }}
        data-testid={`tile-${tile.key}-value`}
      >
        {tileValue(tile)}
      </span>{' '}
      {/* The space keeps "3 Failed" two words for the link's name (WCAG 2.5.3: visible label in the name). */}
      <span className="ibutsu-tile__label">
        {tile.label}
        {tile.derived && (
          <Tooltip content="Computed from the other counts; the run summary does not include it.">
            <span aria-label="computed"> *</span>
          </Tooltip>
        )}
      </span>
    </>
  );
  return (
    <Card isCompact isFullHeight className="ibutsu-tile" data-testid={`tile-${tile.key}`}>
      <CardBody>
        {to ? (
          <Link to={to} className="ibutsu-tile__link" aria-label={`${tileValue(tile)} ${tile.label}: show these results`}>
            {body}
          </Link>
        ) : (
          <div className="ibutsu-tile__link ibutsu-tile__link--static">{body}</div>
        )}
      </CardBody>
    </Card>
  );
}

/** Metadata shown in its own rows elsewhere on this tab. */
const SHOWN = new Set(['project', 'component', 'env', 'jenkins', 'source']);

function scalar(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

export function RunSummaryTab({ run, base, projectTitle }: { run: Run; base: string; projectTitle?: string | null }) {
  const tiles = summaryTiles(run);
  const md = run.metadata ?? {};
  const jenkins = jenkinsInfo(md);
  const tags = Array.isArray(md.tags) ? md.tags.map(String) : [];
  const extra = Object.entries(md)
    .filter(([k]) => !SHOWN.has(k) && k !== 'tags')
    .map(([k, v]) => [k, scalar(v)] as const)
    .filter((e): e is readonly [string, string] => e[1] !== null)
    .slice(0, 30);
  const jobLink = jenkins && jenkins.job !== '–' ? `${base}/runs?${new URLSearchParams({ filter: `metadata.jenkins.job_name=${jenkins.job}` })}` : null;
  return (
    <>
      <ul className="ibutsu-tiles" aria-label="Run summary">
        {tiles.map((t) => (
          <li key={t.key}>
            <TileCard tile={t} to={t.status ? resultsLink(base, run.id, t.status) : t.key === 'total' ? resultsLink(base, run.id) : null} />
          </li>
        ))}
      </ul>
      <Title headingLevel="h2" size="lg" style={{ margin: 'var(--pf-t--global--spacer--lg) 0 var(--pf-t--global--spacer--md)' }}>
        Details
      </Title>
      <DescriptionList isHorizontal isCompact columnModifier={{ lg: '2Col' }} aria-label="Run details">
        <Term term="Run ID" className="ibutsu-mono">
          {run.id}
        </Term>
        <Term term="Project">{projectTitle ?? scalar(md.project) ?? run.project_id ?? '–'}</Term>
        <Term term="Component">{run.component || '–'}</Term>
        <Term term="Environment">{run.env || '–'}</Term>
        <Term term="Source">{run.source || scalar(md.source) || '–'}</Term>
        <Term term="Jenkins">
          {jenkins ? (
            <>
              {jobLink ? <Link to={jobLink}>{jenkins.job}</Link> : jenkins.job}
              {' #'}
              {jenkins.url ? (
                <a href={jenkins.url} target="_blank" rel="noreferrer noopener">
                  {jenkins.build} <ExternalLinkAltIcon aria-label="(opens in a new tab)" />
                </a>
              ) : (
                jenkins.build
              )}
            </>
          ) : (
            '–'
          )}
        </Term>
        <Term term="Started">{formatDate(run.start_time)}</Term>
        <Term term="Created">{formatDate(run.created)}</Term>
        <Term term="Duration">{formatDuration(run.duration)}</Term>
        {tags.length > 0 && (
          <Term term="Tags">
            <LabelGroup>
              {tags.map((t) => (
                <Label key={t} isCompact>
                  {t}
                </Label>
              ))}
            </LabelGroup>
          </Term>
        )}
        {extra.map(([k, v]) => (
          <Term key={k} term={k} className="ibutsu-break">
            {v}
          </Term>
        ))}
      </DescriptionList>
    </>
  );
}
