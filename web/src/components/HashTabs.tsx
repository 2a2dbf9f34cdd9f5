// Tabs whose active tab lives in the URL hash (#summary, #json, …), as
// upstream; an unknown or missing hash shows the first tab. A tab's body is
// mounted when first shown and unmounted when left, inside .ibutsu-tab-body
// (artifacts.css, which the run and result pages load through run.css).
import { useLocation, useNavigate } from 'react-router-dom';
import { Tab, TabTitleText, Tabs } from '@patternfly/react-core';

export interface HashTab {
  /** The hash naming the tab. */
  key: string;
  title: string;
  body: React.ReactNode;
}

/** The tab a hash names, or the first one. */
export function tabFromHash(hash: string, keys: readonly string[]): string {
  const h = hash.replace(/^#/, '');
  return keys.includes(h) ? h : keys[0];
}

export function HashTabs({ tabs, ...rest }: { tabs: HashTab[]; 'aria-label': string }) {
  const location = useLocation();
  const navigate = useNavigate();
  return (
    <Tabs
      activeKey={tabFromHash(
        location.hash,
        tabs.map((t) => t.key),
      )}
      onSelect={(_e, k) => navigate({ search: location.search, hash: String(k) }, { replace: true })}
      aria-label={rest['aria-label']}
      mountOnEnter
      unmountOnExit
    >
      {tabs.map((t) => (
        <Tab key={t.key} eventKey={t.key} title={<TabTitleText>{t.title}</TabTitleText>}>
          <div className="ibutsu-tab-body">{t.body}</div>
        </Tab>
      ))}
    </Tabs>
  );
}
