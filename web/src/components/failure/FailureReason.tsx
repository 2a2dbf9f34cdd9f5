// A failure's reason in a table cell: "Type: message" on one line, the rest
// of the message (bounded) underneath, the whole text on hover.
import type { Result } from '../../api/types';
import { failureDetail, failureOf, failureReason } from './failure';
import './failure.css';

export function FailureReason({ result }: { result: Pick<Result, 'metadata'> }) {
  const reason = failureReason(result);
  if (!reason) return <>–</>;
  const { exception, message } = failureOf(result);
  const detail = failureDetail(result);
  const full = [exception, message].filter(Boolean).join(': ');
  return (
    <div className="ibutsu-failure-reason" title={full}>
      <div className="ibutsu-failure-reason__line">{reason}</div>
      {detail && <div className="ibutsu-failure-reason__detail ibutsu-mono">{detail}</div>}
    </div>
  );
}
