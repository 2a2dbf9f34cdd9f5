// Builds the run page's results tree: results grouped by their file path
// (metadata.fspath, "tests/ui/test_login.py") or, without one, by the dotted
// test id ("tests.ui.test_login"), with per-node counts by status so a
// collapsed folder still shows what is inside.
import type { Result } from '../../../api/types';

export interface TreeNode {
  /** Stable key: the path of names from the root ("tests/ui/test_login.py"), or "r:<id>" for a result. */
  key: string;
  name: string;
  children: TreeNode[];
  /** Set on leaves: the result this row stands for. */
  result?: Result;
  /** Results below this node by status ("passed": 3, ...). */
  counts: Record<string, number>;
  total: number;
  /** Sum of the results' durations, seconds. */
  duration: number;
  /** A leaf's own status; a folder's is folderStatus(counts). */
  status: string;
}

/**
 * Statuses from worst to best; a folder shows the first one present below it.
 * The outcomes that need someone's attention come first — a failed assertion
 * before an error in setup, then an unexpected pass, then tests nobody could
 * run automatically. "passed" outranks the expected, neutral outcomes
 * (skipped, xfailed): eight passes and one expected failure are a green folder,
 * not an "Xfailed" one. Statuses not listed (unknown to us) rank between
 * manual and passed, so they are never hidden behind a green label.
 */
export const STATUS_SEVERITY = ['failed', 'error', 'xpassed', 'blocked', 'manual', 'passed', 'skipped', 'xfailed'];

function severity(s: string): number {
  const i = STATUS_SEVERITY.indexOf(s);
  return i < 0 ? STATUS_SEVERITY.indexOf('passed') - 0.5 : i;
}

/** The status a folder shows for the results below it (see STATUS_SEVERITY). */
export function folderStatus(counts: Record<string, number>): string {
  let best: string | null = null;
  for (const [s, n] of Object.entries(counts)) {
    if (n > 0 && (best === null || severity(s) < severity(best))) best = s;
  }
  return best ?? 'passed';
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

/**
 * The folders/file and the leaf name of a result. With a file path the
 * leaf is the test id without its module prefix ("tests.ui.test_login.TestX.test_y"
 * under tests/ui/test_login.py becomes "TestX.test_y"; a pytest node id
 * "tests/ui/test_login.py::test_y" becomes "test_y"). Without one the
 * dotted test id is the path.
 */
export function resultPath(r: Result): { dirs: string[]; leaf: string } {
  const testId = str(r.test_id) ?? r.id;
  const fspath = str(r.metadata?.fspath);
  if (fspath) {
    const dirs = fspath.split('/').filter((s) => s && s !== '.');
    let leaf = testId;
    const nodeSep = leaf.lastIndexOf('::');
    if (nodeSep >= 0) {
      leaf = leaf.slice(nodeSep + 2);
    } else {
      const module = fspath.replace(/\.py$/, '').split('/').filter(Boolean).join('.');
      if (module && leaf.startsWith(module + '.')) leaf = leaf.slice(module.length + 1);
    }
    return { dirs, leaf: leaf || testId };
  }
  // Split on dots outside parameter brackets: test_x[1.2] stays one name.
  const bracket = testId.indexOf('[');
  const head = bracket >= 0 ? testId.slice(0, bracket) : testId;
  const tail = bracket >= 0 ? testId.slice(bracket) : '';
  const parts = head.split('.').filter(Boolean);
  if (parts.length <= 1) return { dirs: [], leaf: testId };
  return { dirs: parts.slice(0, -1), leaf: parts[parts.length - 1] + tail };
}

function newNode(key: string, name: string): TreeNode {
  return { key, name, children: [], counts: {}, total: 0, duration: 0, status: 'passed' };
}

/** Groups results into a tree; folders first, then by name. */
export function buildResultsTree(results: Result[]): TreeNode[] {
  const root = newNode('', '');
  const index = new Map<string, TreeNode>();
  for (const r of results) {
    const { dirs, leaf } = resultPath(r);
    let node = root;
    const chain: TreeNode[] = [root];
    let key = '';
    for (const d of dirs) {
      key = key ? `${key}/${d}` : d;
      let child = index.get(key);
      if (!child) {
        child = newNode(key, d);
        index.set(key, child);
        node.children.push(child);
      }
      node = child;
      chain.push(node);
    }
    const status = r.result || 'unknown';
    const leafNode: TreeNode = { ...newNode(`r:${r.id}`, leaf), result: r, status };
    node.children.push(leafNode);
    chain.push(leafNode);
    for (const n of chain) {
      n.counts[status] = (n.counts[status] ?? 0) + 1;
      n.total++;
      n.duration += Number(r.duration) || 0;
      if (n !== leafNode) n.status = folderStatus(n.counts);
    }
  }
  const sort = (nodes: TreeNode[]) => {
    nodes.sort((a, b) => Number(!!a.result) - Number(!!b.result) || a.name.localeCompare(b.name, undefined, { numeric: true }));
    nodes.forEach((n) => sort(n.children));
  };
  sort(root.children);
  return root.children;
}

/** A tree row as the table shows it. */
export interface TreeRow {
  node: TreeNode;
  level: number;
  posinset: number;
  setsize: number;
}

/** The rows to show: every node whose ancestors are all expanded, in order. */
export function visibleRows(nodes: TreeNode[], expanded: ReadonlySet<string>, level = 1): TreeRow[] {
  const out: TreeRow[] = [];
  nodes.forEach((node, i) => {
    out.push({ node, level, posinset: i + 1, setsize: nodes.length });
    if (node.children.length && expanded.has(node.key)) out.push(...visibleRows(node.children, expanded, level + 1));
  });
  return out;
}

/** The keys of every folder (for "expand all"). */
export function folderKeys(nodes: TreeNode[]): string[] {
  return nodes.flatMap((n) => (n.children.length ? [n.key, ...folderKeys(n.children)] : []));
}

/** The folders that lead to a failure or error (expanded at first). */
export function failingFolderKeys(nodes: TreeNode[]): string[] {
  return nodes.flatMap((n) => (n.children.length && (n.counts.failed ?? 0) + (n.counts.error ?? 0) > 0 ? [n.key, ...failingFolderKeys(n.children)] : []));
}
