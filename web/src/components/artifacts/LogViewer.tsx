// A light log viewer: line numbers, search with highlighted matches and
// next/previous navigation (Enter goes to the next match), case and regex
// options. Only the lines in view are rendered, so multi-megabyte logs stay
// responsive.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Checkbox, Flex, FlexItem, HelperText, HelperTextItem, SearchInput } from '@patternfly/react-core';
import { findMatches, matchesByLine, searchPattern, segments, splitLines } from './logSearch';
import './artifacts.css';

const LINE = 20;
const OVERSCAN = 20;

interface Props {
  text: string;
  /** Accessible name of the log region, e.g. the file name. */
  label: string;
  /** Initial search (e.g. from the URL). */
  initialQuery?: string;
  /** Height of the scroll area in pixels (default: up to 30 lines). */
  height?: number;
}

export function LogViewer({ text, label, initialQuery = '', height }: Props) {
  const lines = useMemo(() => splitLines(text), [text]);
  const [query, setQuery] = useState(initialQuery);
  const [caseSensitive, setCaseSensitive] = useState(false);
  const [regex, setRegex] = useState(false);
  const [current, setCurrent] = useState(0);
  const [scrollTop, setScrollTop] = useState(0);
  const box = useRef<HTMLDivElement>(null);

  const pattern = useMemo(() => searchPattern(query, { caseSensitive, regex }), [query, caseSensitive, regex]);
  const matches = useMemo(() => findMatches(lines, query, { caseSensitive, regex }), [lines, query, caseSensitive, regex]);
  const byLine = useMemo(() => matchesByLine(matches), [matches]);
  const viewHeight = height ?? Math.min(Math.max(lines.length, 3), 30) * LINE + 2;
  const gutter = `${Math.max(3, String(lines.length).length) + 2}ch`;

  useEffect(() => setCurrent(0), [query, caseSensitive, regex]);

  // Bring the current match into view.
  useEffect(() => {
    const m = matches[current];
    const el = box.current;
    if (!m || !el) return;
    const top = m.line * LINE;
    if (top < el.scrollTop || top + LINE > el.scrollTop + el.clientHeight) {
      el.scrollTop = Math.max(0, top - el.clientHeight / 3);
      setScrollTop(el.scrollTop);
    }
  }, [matches, current]);

  const go = (delta: number) => {
    if (!matches.length) return;
    setCurrent((c) => (c + delta + matches.length) % matches.length);
  };

  const first = Math.max(0, Math.floor(scrollTop / LINE) - OVERSCAN);
  const last = Math.min(lines.length, Math.ceil((scrollTop + viewHeight) / LINE) + OVERSCAN);
  const currentLine = matches[current]?.line;
  const rows = [];
  for (let i = first; i < last; i++) {
    const segs = segments(lines[i], byLine.get(i) ?? []);
    rows.push(
      <div key={i} className={`ibutsu-log__line${i === currentLine ? ' ibutsu-log__line--current' : ''}`} style={{ top: i * LINE }} data-line={i + 1}>
        <span className="ibutsu-log__num" aria-hidden="true">
          {i + 1}
        </span>
        <span className="ibutsu-log__text">
          {segs.map((s, j) =>
            s.match === undefined ? (
              <span key={j}>{s.text}</span>
            ) : (
              <mark key={j} className={`ibutsu-log__match${s.match === current ? ' ibutsu-log__match--current' : ''}`}>
                {s.text}
              </mark>
            ),
          )}
        </span>
      </div>,
    );
  }

  const count = query ? (matches.length ? `${current + 1} / ${matches.length}${matches.length >= 10000 ? '+' : ''}` : '0') : undefined;
  return (
    <div className="ibutsu-log-viewer">
      <Flex spaceItems={{ default: 'spaceItemsMd' }} alignItems={{ default: 'alignItemsCenter' }} style={{ marginBottom: 'var(--pf-t--global--spacer--sm)' }}>
        <FlexItem grow={{ default: 'grow' }} style={{ maxWidth: '32rem' }}>
          <SearchInput
            aria-label={`Search ${label}`}
            placeholder="Search the log"
            value={query}
            onChange={(_e, v) => setQuery(v)}
            onClear={() => setQuery('')}
            onSearch={() => go(1)}
            resultsCount={count}
            onNextClick={() => go(1)}
            onPreviousClick={() => go(-1)}
            nextNavigationButtonAriaLabel="Next match"
            previousNavigationButtonAriaLabel="Previous match"
            resultsCountContext=" matches"
            isNextNavigationButtonDisabled={!matches.length}
            isPreviousNavigationButtonDisabled={!matches.length}
          />
        </FlexItem>
        <FlexItem>
          <Checkbox id={`log-case-${label}`} label="Match case" isChecked={caseSensitive} onChange={(_e, v) => setCaseSensitive(v)} />
        </FlexItem>
        <FlexItem>
          <Checkbox id={`log-regex-${label}`} label="Regular expression" isChecked={regex} onChange={(_e, v) => setRegex(v)} />
        </FlexItem>
        <FlexItem>
          <span className="ibutsu-small ibutsu-subtle">{lines.length.toLocaleString()} lines</span>
        </FlexItem>
      </Flex>
      {typeof pattern === 'string' && (
        <HelperText style={{ marginBottom: 'var(--pf-t--global--spacer--sm)' }}>
          <HelperTextItem variant="error">Invalid regular expression: {pattern}</HelperTextItem>
        </HelperText>
      )}
      <div
        ref={box}
        className="ibutsu-log"
        role="region"
        aria-label={`${label} content`}
        tabIndex={0}
        style={{ height: viewHeight, ['--ibutsu-log-gutter' as string]: gutter }}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        data-testid="log-viewer"
      >
        <div className="ibutsu-log__spacer" style={{ height: lines.length * LINE }}>
          {rows}
        </div>
      </div>
      <div aria-live="polite" className="pf-v6-screen-reader">
        {query && (matches.length ? `Match ${current + 1} of ${matches.length}, line ${(currentLine ?? 0) + 1}` : 'No matches')}
      </div>
    </div>
  );
}
