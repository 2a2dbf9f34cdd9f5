// A result status as a coloured PatternFly label with an icon, so status is
// never told by colour alone.
import { Label } from '@patternfly/react-core';
import {
  BanIcon,
  CheckCircleIcon,
  ExclamationCircleIcon,
  ExclamationTriangleIcon,
  QuestionCircleIcon,
  TimesCircleIcon,
  ForwardIcon,
} from '@patternfly/react-icons';

type LabelStatus = 'success' | 'danger' | 'warning' | 'info' | 'custom';

const styles: Record<string, { status?: LabelStatus; color?: 'grey' | 'orange' | 'purple' | 'blue' | 'teal' | 'yellow'; icon: React.ReactNode; text: string }> =
  {
    passed: { status: 'success', icon: <CheckCircleIcon />, text: 'Passed' },
    failed: { status: 'danger', icon: <TimesCircleIcon />, text: 'Failed' },
    error: { color: 'orange', icon: <ExclamationCircleIcon />, text: 'Error' },
    skipped: { color: 'grey', icon: <ForwardIcon />, text: 'Skipped' },
    xfailed: { color: 'purple', icon: <ExclamationTriangleIcon />, text: 'Xfailed' },
    xpassed: { color: 'teal', icon: <ExclamationTriangleIcon />, text: 'Xpassed' },
    manual: { color: 'blue', icon: <QuestionCircleIcon />, text: 'Manual' },
    blocked: { color: 'yellow', icon: <BanIcon />, text: 'Blocked' },
  };

export function StatusLabel({ status, isCompact = true }: { status: string | null | undefined; isCompact?: boolean }) {
  const s = styles[status ?? ''] ?? { color: 'grey' as const, icon: <QuestionCircleIcon />, text: status || 'Unknown' };
  return (
    <Label isCompact={isCompact} status={s.status} color={s.color} icon={s.icon}>
      {s.text}
    </Label>
  );
}
