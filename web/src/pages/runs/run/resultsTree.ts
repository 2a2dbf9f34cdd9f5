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
  /** The worst status below this node (error > failed > ... > passed). */
  status: string;
}

/** Statuses from worst to best; a folder takes the worst of its results. */
export const STATUS_SEVERITY = ['error', 'failed', 'xpassed', 'blocked', 'manual', 'xfailed', 'skipped', 'passed'];

function severity(s: string): number {
  const i = STATUS_SEVERITY.indexOf(s);
  return i < 0 ? STATUS_SEVERITY.length : i;
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
      if (n !== leafNode && (n.total === 1 || severity(status) < severity(n.status))) n.status = status;
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
