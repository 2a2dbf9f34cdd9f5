// The inline success/failure notice a tab shows after an action (classify,
// save), closable, above the tab's content.
import { Alert, AlertActionCloseButton } from '@patternfly/react-core';

export interface Notice {
  variant: 'success' | 'danger';
  title: string;
}

export function NoticeAlert({ notice, onClose, testId }: { notice: Notice | null; onClose: () => void; testId: string }) {
  if (!notice) return null;
  return (
    <Alert
      isInline
      variant={notice.variant}
      title={notice.title}
      actionClose={<AlertActionCloseButton onClose={onClose} />}
      style={{ marginBottom: 'var(--pf-t--global--spacer--md)' }}
      data-testid={testId}
    />
  );
}
