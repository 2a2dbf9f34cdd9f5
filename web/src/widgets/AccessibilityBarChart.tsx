// accessibility-bar-chart: axe passes against violations over a list of runs.
import { Donut } from './charts/Donut';
import type { WidgetRendererProps } from './types';

export type AccessibilityData = ({ x: string; y: number; ratio: number } | { total: number })[] | null;

export function AccessibilityBarChart({ data, title }: WidgetRendererProps<AccessibilityData>) {
  const rows = (data ?? []).filter((d): d is { x: string; y: number; ratio: number } => 'x' in d);
  const items = rows.map((r) => ({
    key: r.x,
    label: r.x === 'passes' ? 'Passes' : r.x === 'violations' ? 'Violations' : r.x,
    value: Number(r.y) || 0,
    color: r.x === 'passes' ? 'var(--pf-t--global--color--status--success--default)' : 'var(--pf-t--global--color--status--danger--default)',
  }));
  const total = items.reduce((a, i) => a + i.value, 0);
  return <Donut items={items} total={total} subTitle="Checks" title={title ?? 'Accessibility'} />;
}

export default AccessibilityBarChart;
