// The frame around the logged-out pages (login, sign-up, password reset).
import { LoginPage as PFLoginPage } from '@patternfly/react-core';
import type { ReactNode } from 'react';

export function AuthLayout({ title, subtitle, footer, children }: { title: string; subtitle?: string; footer?: ReactNode; children: ReactNode }) {
  return (
    <PFLoginPage
      brandImgSrc={undefined}
      loginTitle={title}
      loginSubtitle={subtitle}
      textContent="Ibutsu collects test results from CI (pytest, JUnit XML) and shows runs, failures and trends."
      signUpForAccountMessage={footer}
      headerUtilities={<span className="ibutsu-brand ibutsu-brand-large">Ibutsu</span>}
    >
      {children}
    </PFLoginPage>
  );
}
