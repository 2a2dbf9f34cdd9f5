// The heading of a run or result page: breadcrumbs back to the lists, the
// title, labels (children) and when it started and how long it took.
import { Link } from 'react-router-dom';
import { Breadcrumb, BreadcrumbItem, Flex, FlexItem, PageSection, Title } from '@patternfly/react-core';
import { formatDate, formatDuration } from './format';

interface Props {
  /** Links before the current page. */
  crumbs: { to: string; text: string }[];
  /** The current page's breadcrumb. */
  current: string;
  title: string;
  /** Let a long title (a test id) wrap anywhere. */
  breakTitle?: boolean;
  startTime?: string | null;
  duration?: number | null;
  /** Flex items between the title and the time. */
  children?: React.ReactNode;
}

export function DetailHeader({ crumbs, current, title, breakTitle = false, startTime, duration, children }: Props) {
  return (
    <PageSection>
      <Breadcrumb style={{ marginBottom: 'var(--pf-t--global--spacer--sm)' }}>
        {crumbs.map((c) => (
          <BreadcrumbItem key={c.to} render={() => <Link to={c.to}>{c.text}</Link>} />
        ))}
        <BreadcrumbItem isActive>{current}</BreadcrumbItem>
      </Breadcrumb>
      <Flex alignItems={{ default: 'alignItemsCenter' }} spaceItems={{ default: 'spaceItemsMd' }}>
        <FlexItem style={breakTitle ? { minWidth: 0 } : undefined}>
          <Title headingLevel="h1" className={breakTitle ? 'ibutsu-break' : undefined}>
            {title}
          </Title>
        </FlexItem>
        {children}
        <FlexItem className="ibutsu-subtle">
          {formatDate(startTime)} · {formatDuration(duration)}
        </FlexItem>
      </Flex>
    </PageSection>
  );
}
