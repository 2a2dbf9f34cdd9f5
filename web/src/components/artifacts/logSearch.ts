// Text search for the log viewer: lines, matches (plain text or regular
// expression, case-insensitive by default) and the pieces of a line to
// render with the matches highlighted.

/** Splits text into lines (\n, \r\n or \r); a final newline adds no empty line. */
export function splitLines(text: string): string[] {
  if (!text) return [];
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export interface Match {
  line: number;
  start: number;
  end: number;
}

export interface SearchOptions {
  caseSensitive?: boolean;
  regex?: boolean;
  /** Stop after this many matches (huge logs, one-letter queries). */
  limit?: number;
}

/** Builds the search pattern, or an error message for a bad regular expression. */
export function searchPattern(query: string, opts: SearchOptions = {}): RegExp | string | null {
  if (!query) return null;
  const src = opts.regex ? query : query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  try {
    return new RegExp(src, opts.caseSensitive ? 'g' : 'gi');
  } catch (e) {
    return e instanceof Error ? e.message : 'Invalid regular expression';
  }
}

/** Every match of query in lines, in reading order. */
export function findMatches(lines: string[], query: string, opts: SearchOptions = {}): Match[] {
  const re = searchPattern(query, opts);
  if (!(re instanceof RegExp)) return [];
  const limit = opts.limit ?? 10000;
  const out: Match[] = [];
  for (let i = 0; i < lines.length && out.length < limit; i++) {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(lines[i])) !== null) {
      if (m[0].length === 0) {
        re.lastIndex++; // an empty match would loop forever
        continue;
      }
      out.push({ line: i, start: m.index, end: m.index + m[0].length });
      if (out.length >= limit) break;
    }
  }
  return out;
}

export interface Segment {
  text: string;
  /** Index into the matches array when this piece is a match. */
  match?: number;
}

/** Cuts a line into plain and matched pieces; lineMatches are [index, match] pairs of that line. */
export function segments(line: string, lineMatches: [number, Match][]): Segment[] {
  if (!lineMatches.length) return [{ text: line }];
  const out: Segment[] = [];
  let pos = 0;
  for (const [i, m] of lineMatches) {
    if (m.start < pos) continue;
    if (m.start > pos) out.push({ text: line.slice(pos, m.start) });
    out.push({ text: line.slice(m.start, m.end), match: i });
    pos = m.end;
  }
  if (pos < line.length) out.push({ text: line.slice(pos) });
  return out;
}

/** Groups matches by line: line → [index, match] pairs. */
export function matchesByLine(matches: Match[]): Map<number, [number, Match][]> {
  const out = new Map<number, [number, Match][]>();
  matches.forEach((m, i) => {
    const list = out.get(m.line);
    if (list) list.push([i, m]);
    else out.set(m.line, [[i, m]]);
  });
  return out;
}

/** Whether an artifact should open in the log viewer, by content type or file name. */
export function isTextType(contentType: string, filename: string): boolean {
  if (/^text\//.test(contentType) || /(json|xml|yaml|javascript|x-sh)/.test(contentType)) return true;
  return /\.(log|txt|out|err|json|xml|ya?ml|csv|md|ini|cfg|conf|py|sh)$/i.test(filename);
}

export function isImageType(contentType: string, filename: string): boolean {
  if (/^image\//.test(contentType)) return true;
  return /\.(png|jpe?g|gif|webp|bmp|svg)$/i.test(filename) && !/^text\//.test(contentType);
}
