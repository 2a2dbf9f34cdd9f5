import { describe, expect, it } from 'vitest';
import type { Result } from '../../../api/types';
import { buildResultsTree, failingFolderKeys, folderKeys, folderStatus, resultPath, visibleRows } from './resultsTree';

const res = (id: string, test_id: string, result: string, metadata: Record<string, unknown> = {}, duration = 1): Result =>
  ({ id, test_id, result, metadata, duration }) as Result;

describe('resultPath', () => {
  it('uses the file path and strips the module prefix from the test id', () => {
    expect(resultPath(res('1', 'tests.ui.test_login.TestX.test_y', 'passed', { fspath: 'tests/ui/test_login.py' }))).toEqual({
      dirs: ['tests', 'ui', 'test_login.py'],
      leaf: 'TestX.test_y',
    });
  });
  it('understands pytest node ids', () => {
    expect(resultPath(res('1', 'tests/ui/test_a.py::test_b[x]', 'passed', { fspath: './tests/ui/test_a.py' }))).toEqual({
      dirs: ['tests', 'ui', 'test_a.py'],
      leaf: 'test_b[x]',
    });
  });
  it('keeps a test id without the module prefix whole', () => {
    expect(resultPath(res('1', 'TestLogin.test_ok', 'passed', { fspath: 'tests/test_login.py' })).leaf).toBe('TestLogin.test_ok');
  });
  it('falls back to the dotted test id, not splitting inside parameters', () => {
    expect(resultPath(res('1', 'tests.api.test_x[1.5-a.b]', 'passed'))).toEqual({ dirs: ['tests', 'api'], leaf: 'test_x[1.5-a.b]' });
    expect(resultPath(res('1', 'test_plain', 'passed'))).toEqual({ dirs: [], leaf: 'test_plain' });
  });
});

describe('buildResultsTree', () => {
  const results = [
    res('a', 'tests.ui.test_login.test_ok', 'passed', { fspath: 'tests/ui/test_login.py' }, 1),
    res('b', 'tests.ui.test_login.test_bad', 'failed', { fspath: 'tests/ui/test_login.py' }, 2),
    res('c', 'tests.ui.test_search.test_q', 'skipped', { fspath: 'tests/ui/test_search.py' }, 0.5),
    res('d', 'tests.api.test_ping', 'error'),
    res('e', 'test_root', 'passed'),
  ];
  const tree = buildResultsTree(results);

  it('groups by folder with counts, durations and the worst status', () => {
    expect(tree.map((n) => n.name)).toEqual(['tests', 'test_root']);
    const tests = tree[0];
    expect(tests.total).toBe(4);
    expect(tests.counts).toEqual({ passed: 1, failed: 1, skipped: 1, error: 1 });
    // Failed outranks error: the folder with both reads "failed".
    expect(tests.status).toBe('failed');
    const ui = tests.children.find((n) => n.name === 'ui')!;
    expect(ui.status).toBe('failed');
    expect(ui.duration).toBe(3.5);
    const login = ui.children.find((n) => n.name === 'test_login.py')!;
    expect(login.children.map((n) => n.name)).toEqual(['test_bad', 'test_ok']);
    expect(login.children[0].result?.id).toBe('b');
    const search = ui.children.find((n) => n.name === 'test_search.py')!;
    expect(search.status).toBe('skipped');
  });

  it('keeps two results of the same test as two leaves', () => {
    const t = buildResultsTree([res('x', 'a.t', 'passed'), res('y', 'a.t', 'failed')]);
    expect(t[0].children.map((n) => n.key)).toEqual(['r:x', 'r:y']);
    expect(t[0].status).toBe('failed');
  });

  it('lists visible rows with ARIA positions', () => {
    expect(visibleRows(tree, new Set()).map((r) => r.node.name)).toEqual(['tests', 'test_root']);
    const rows = visibleRows(tree, new Set(['tests', 'tests/ui']));
    expect(rows.map((r) => `${r.level}:${r.node.name}:${r.posinset}/${r.setsize}`)).toEqual([
      '1:tests:1/2',
      '2:api:1/2',
      '2:ui:2/2',
      '3:test_login.py:1/2',
      '3:test_search.py:2/2',
      '1:test_root:2/2',
    ]);
  });

  it('finds all folders and the failing ones', () => {
    expect(folderKeys(tree)).toEqual(['tests', 'tests/api', 'tests/ui', 'tests/ui/test_login.py', 'tests/ui/test_search.py']);
    expect(failingFolderKeys(tree)).toEqual(['tests', 'tests/api', 'tests/ui', 'tests/ui/test_login.py']);
  });
});

describe('folder status', () => {
  it('shows a folder of passes and an expected failure as passed, not xfailed', () => {
    const rs = Array.from({ length: 8 }, (_, i) => res(`p${i}`, `pkg.test_${i}`, 'passed'));
    const t = buildResultsTree([...rs, res('x', 'pkg.test_x', 'xfailed'), res('s', 'pkg.test_s', 'skipped')]);
    expect(t[0].counts).toEqual({ passed: 8, xfailed: 1, skipped: 1 });
    expect(t[0].status).toBe('passed');
  });
  it('shows eight passes as passed whatever the order of the results', () => {
    const rs = Array.from({ length: 8 }, (_, i) => res(`p${i}`, `pkg.test_${i}`, 'passed'));
    expect(buildResultsTree(rs)[0].status).toBe('passed');
    expect(buildResultsTree([res('x', 'pkg.test_x', 'xfailed'), ...rs])[0].status).toBe('passed');
  });
  it('orders worst first: failed, error, xpassed, blocked, manual, unknown, passed, skipped, xfailed', () => {
    const order = ['failed', 'error', 'xpassed', 'blocked', 'manual', 'weird', 'passed', 'skipped', 'xfailed'];
    order.forEach((s, i) => {
      const counts = Object.fromEntries(order.slice(i).map((o) => [o, 1]));
      expect(folderStatus(counts)).toBe(s);
    });
  });
  it('puts failed above error whichever comes first', () => {
    expect(buildResultsTree([res('e', 'pkg.a', 'error'), res('f', 'pkg.b', 'failed')])[0].status).toBe('failed');
    expect(buildResultsTree([res('f', 'pkg.b', 'failed'), res('e', 'pkg.a', 'error')])[0].status).toBe('failed');
  });
  it('shows a folder of only skipped or only xfailed results as such', () => {
    expect(buildResultsTree([res('s', 'pkg.a', 'skipped'), res('x', 'pkg.b', 'xfailed')])[0].status).toBe('skipped');
    expect(buildResultsTree([res('x', 'pkg.b', 'xfailed')])[0].status).toBe('xfailed');
    expect(folderStatus({})).toBe('passed');
  });
});
