// An HTML legend for charts: the swatch, the label and the number, so the
// values are readable text (and selectable, and announced) rather than SVG.
import { formatPercent } from '../../components/format';
import type { LegendItem } from '../model';

export function Legend({ items, total, row = false, label }: { items: LegendItem[]; total?: number; row?: boolean; label: string }) {
  return (
    <ul className={`ibutsu-legend${row ? ' ibutsu-legend--row' : ''}`} aria-label={label} data-testid="widget-legend">
      {items.map((i) => (
        <li key={i.key} data-key={i.key} data-value={i.value}>
          <span className="ibutsu-legend__swatch" style={{ background: i.color }} aria-hidden="true" />
          <span className="ibutsu-legend__label">{i.label}</span>
          {!row && <span className="ibutsu-legend__value">{i.value}</span>}
          {!row && total ? <span className="ibutsu-legend__share">({formatPercent((i.value / total) * 100)})</span> : null}
        </li>
      ))}
    </ul>
  );
}
