// The application shell: masthead (brand, project selector, import, theme,
// user menu) and the sidebar (Dashboard, Test Runs, Test Results, the
// project's navigable views with "Add view", and the admin pages), around
// the routed page.
import { useCallback, useEffect, useState } from 'react';
import { Link, NavLink, useLocation, useNavigate } from 'react-router-dom';
import {
  Button,
  Dropdown,
  DropdownItem,
  DropdownList,
  Masthead,
  MastheadBrand,
  MastheadContent,
  MastheadLogo,
  MastheadMain,
  MastheadToggle,
  MenuToggle,
  Nav,
  NavItem,
  NavList,
  Page,
  PageSidebar,
  PageSidebarBody,
  PageToggleButton,
  Toolbar,
  ToolbarContent,
  ToolbarGroup,
  ToolbarItem,
  Divider,
  NavGroup,
} from '@patternfly/react-core';
import { BarsIcon, MoonIcon, PlusCircleIcon, SunIcon, UploadIcon, UserIcon, ServerIcon } from '@patternfly/react-icons';
import { useAuth } from '../auth/AuthContext';
import { rememberProject, useProject } from '../project';
import { ProjectOutlet } from './ProjectNotFound';
import { ProjectSelector } from './ProjectSelector';
import { applyTheme, initialTheme, type Theme } from '../theme';
import { useApi } from '../api/useApi';
import type { WidgetConfig } from '../api/types';
import { ImportModal } from '../pages/import/ImportModal';
import { ImportLauncher, type OpenImport } from '../pages/import/importLauncher';
import { AddViewModal } from '../pages/views/AddViewModal';

/** Where a project switch lands: the same section of the new project. */
export function projectPath(pathname: string, projectId: string | null): string {
  const m = pathname.match(/^\/project\/[^/]+\/(dashboard|runs|results|view|flaky)/);
  const section = m ? m[1] : 'dashboard';
  // The flaky page exists only inside a project.
  const s = section === 'view' || (section === 'flaky' && !projectId) ? 'dashboard' : section;
  return projectId ? `/project/${projectId}/${s}` : `/${s === 'dashboard' ? '' : s}`;
}

export function AppLayout() {
  const { user, session, logout } = useAuth();
  const userName = user?.name || session?.name || session?.email;
  const { project, projectId, base } = useProject();
  const navigate = useNavigate();
  const location = useLocation();
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const [userOpen, setUserOpen] = useState(false);
  const [importOpen, setImportOpen] = useState(false);
  const [addingView, setAddingView] = useState(false);
  const [importProject, setImportProject] = useState<string | undefined>();
  const openImport: OpenImport = useCallback((pid?: string) => {
    setImportProject(pid);
    setImportOpen(true);
  }, []);
  useEffect(() => applyTheme(theme), [theme]);

  const views = useApi<{ widgets: WidgetConfig[] }>(projectId ? 'widget-config' : null, {
    query: { filter: ['type=view', 'navigable=true', `project_id=${projectId}`], pageSize: 50 },
  });

  const link = (path: string, label: string, end = false) => (
    <NavItem key={path}>
      <NavLink to={path} end={end} className={({ isActive }) => (isActive ? 'pf-m-current' : '')}>
        {label}
      </NavLink>
    </NavItem>
  );

  const sidebar = (
    <PageSidebar>
      <PageSidebarBody>
        <Nav aria-label="Main navigation">
          <NavList>
            {link(projectId ? `${base}/dashboard` : '/', 'Dashboard', !projectId)}
            {link(`${base}/runs`, 'Test Runs')}
            {link(`${base}/results`, 'Test Results')}
            {link(`${base}/compare`, 'Compare Runs')}
            {projectId && link(`${base}/quarantine`, 'Quarantine')}
            {projectId && link(`${base}/flaky`, 'Flaky tests')}
          </NavList>
          {/* Groups are siblings of the list, not items of it: a <ul> may only hold <li>s. */}
          {projectId && (
            <NavGroup title="Views">
              {(views.data?.widgets ?? []).map((v) => link(`${base}/view/${v.id}`, v.title || v.widget))}
              <NavItem key="add-view" component="button" onClick={() => setAddingView(true)} icon={<PlusCircleIcon />}>
                Add view
              </NavItem>
            </NavGroup>
          )}
          {projectId && (user?.is_superadmin || (user && project?.owner_id === user.id)) && (
            <NavGroup title="Project settings">{link(`${base}/webhooks`, 'Webhooks')}</NavGroup>
          )}
          {user?.is_superadmin && (
            <NavGroup title="Administration">
              {link('/admin/users', 'Users')}
              {link('/admin/projects', 'Projects')}
              {link('/admin/unassigned-runs', 'Unassigned runs')}
            </NavGroup>
          )}
        </Nav>
      </PageSidebarBody>
    </PageSidebar>
  );

  const masthead = (
    <Masthead>
      <MastheadMain>
        <MastheadToggle>
          <PageToggleButton variant="plain" aria-label="Toggle navigation">
            <BarsIcon />
          </PageToggleButton>
        </MastheadToggle>
        <MastheadBrand>
          <MastheadLogo component={(props: object) => <Link {...props} to={projectId ? `${base}/dashboard` : '/'} />}>
            <span className="ibutsu-brand">Ibutsu</span>
          </MastheadLogo>
        </MastheadBrand>
      </MastheadMain>
      <MastheadContent>
        <Toolbar isFullHeight isStatic>
          <ToolbarContent>
            <ToolbarItem style={{ minWidth: '18rem' }}>
              <ProjectSelector
                selected={project}
                onSelect={(p) => {
                  // Clearing the selector means "all projects": stop carrying one across pages.
                  if (!p) rememberProject(null);
                  navigate(projectPath(location.pathname, p?.id ?? null));
                }}
              />
            </ToolbarItem>
            <ToolbarGroup align={{ default: 'alignEnd' }} gap={{ default: 'gapSm' }}>
              <ToolbarItem>
                <Button variant="secondary" icon={<UploadIcon />} onClick={() => openImport()}>
                  Import
                </Button>
              </ToolbarItem>
              <ToolbarItem>
                <Button
                  variant="plain"
                  aria-label={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
                  icon={theme === 'dark' ? <SunIcon /> : <MoonIcon />}
                  onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
                />
              </ToolbarItem>
              <ToolbarItem>
                <Button variant="plain" component="a" href="/api/ui/" target="_blank" aria-label="API documentation" icon={<ServerIcon />} />
              </ToolbarItem>
              <ToolbarItem>
                <Dropdown
                  isOpen={userOpen}
                  onOpenChange={setUserOpen}
                  popperProps={{ position: 'right' }}
                  toggle={(ref) => (
                    <MenuToggle
                      ref={ref}
                      variant="plainText"
                      icon={<UserIcon />}
                      onClick={() => setUserOpen(!userOpen)}
                      isExpanded={userOpen}
                      // The visible name first, so speech input ("click <name>") finds the button (WCAG 2.5.3).
                      aria-label={userName ? `${userName}, user menu` : 'User menu'}
                    >
                      {userName}
                    </MenuToggle>
                  )}
                >
                  <DropdownList>
                    <DropdownItem key="profile" onClick={() => navigate('/profile/user')}>
                      Profile
                    </DropdownItem>
                    <DropdownItem key="tokens" onClick={() => navigate('/profile/tokens')}>
                      API tokens
                    </DropdownItem>
                    {user?.is_superadmin && (
                      <DropdownItem key="admin" onClick={() => navigate('/admin/users')}>
                        Administration
                      </DropdownItem>
                    )}
                    <Divider component="li" key="sep" />
                    <DropdownItem
                      key="logout"
                      onClick={() => {
                        logout();
                        navigate('/login');
                      }}
                    >
                      Log out
                    </DropdownItem>
                  </DropdownList>
                </Dropdown>
              </ToolbarItem>
            </ToolbarGroup>
          </ToolbarContent>
        </Toolbar>
      </MastheadContent>
    </Masthead>
  );

  return (
    <Page masthead={masthead} sidebar={sidebar} isManagedSidebar isContentFilled>
      {addingView && projectId && (
        <AddViewModal
          projectId={projectId}
          onClose={() => setAddingView(false)}
          onCreated={(v) => {
            setAddingView(false);
            views.reload();
            navigate(`${base}/view/${v.id}`);
          }}
        />
      )}
      <ImportModal isOpen={importOpen} initialProject={importProject} onClose={() => setImportOpen(false)} />
      <ImportLauncher.Provider value={openImport}>
        <ProjectOutlet />
      </ImportLauncher.Provider>
    </Page>
  );
}
