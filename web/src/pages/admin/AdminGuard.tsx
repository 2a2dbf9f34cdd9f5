// Admin pages are for superadmins: others (and anyone while the user is
// still loading) see a message instead of a page of 403 errors.
import { EmptyState, EmptyStateBody, PageSection } from '@patternfly/react-core';
import { LockIcon } from '@patternfly/react-icons';
import { useAuth } from '../../auth/AuthContext';
import { Loading } from '../../components/states';

export function AdminGuard({ children }: { children: React.ReactNode }) {
  const { user } = useAuth();
  if (!user) return <Loading />;
  if (!user.is_superadmin) {
    return (
      <PageSection>
        <EmptyState titleText="Administrators only" headingLevel="h1" icon={LockIcon} variant="sm">
          <EmptyStateBody>You need to be a superadmin to manage users and projects.</EmptyStateBody>
        </EmptyState>
      </PageSection>
    );
  }
  return <>{children}</>;
}
