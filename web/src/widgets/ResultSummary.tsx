// result-summary: the summed run summaries as a donut (passed, failed, ...)
// with the total in the middle.
import { useMemo } from 'react';
import { Donut } from './charts/Donut';
import { resultSummaryView, type ResultSummaryData } from './model';
import type { WidgetRendererProps } from './types';

export type ResultSummaryProps = WidgetRendererProps<ResultSummaryData>;

export function ResultSummary({ data, title }: ResultSummaryProps) {
  const v = useMemo(() => resultSummaryView(data), [data]);
  return <Donut items={v.items} total={v.total} subTitle="Tests" title={title ?? 'Result summary'} />;
}

export default ResultSummary;
