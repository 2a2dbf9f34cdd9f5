// The dashboard: "/" without a project shows the project picker; inside a
// project, /project/:pid/dashboard opens the project's default dashboard
// (else its first) and /project/:pid/dashboard/:dashboard_id a given one.
// A toolbar picks, creates, deletes and marks the default dashboard; the
// dashboard's widgets (widget configs of type "widget") are laid out by
// weight, each fetching and drawing its own data, with edit and delete.
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import {
  Alert,
  AlertActionCloseButton,
  Button,
  Content,
  Flex,
  FlexItem,
  Grid,
  GridItem,
  Label,
  MenuToggle,
  PageSection,
  Select,
  SelectList,
  SelectOption,
  Title,
} from '@patternfly/react-core';
import { CubesIcon, PlusCircleIcon, TachometerAltIcon } from '@patternfly/react-icons';
import { api } from '../../api/client';
import { useApi } from '../../api/useApi';
import type { Dashboard, WidgetConfig, WidgetType } from '../../api/types';
import { ActionEmptyState, ErrorState, Loading } from '../../components/states';
import { useProject } from '../../project';
import { widgetRenderers } from '../../widgets/registry';
import { ConfirmModal } from '../../components/ConfirmModal';
import { KebabMenu } from '../../components/KebabMenu';
import { NewDashboardModal } from './NewDashboardModal';
import { NoRunsYet } from './NoRunsYet';
import { ProjectPicker } from './ProjectPicker';
import { WidgetCard } from './WidgetCard';
import { nextWeight } from './wizard/params';

const WidgetWizard = lazy(() => import('./wizard/WidgetWizard'));

type ModalState =
  | { kind: 'new-dashboard' }
  | { kind: 'delete-dashboard'; dashboard: Dashboard }
  | { kind: 'add-widget' }
  | { kind: 'edit-widget'; widget: WidgetConfig }
  | { kind: 'delete-widget'; widget: WidgetConfig }
  | null;

/** Which dashboard /project/:pid/dashboard opens: the project's default if it still exists, else the first. */
export function pickDashboard(dashboards: Dashboard[], defaultId: string | null | undefined): Dashboard | undefined {
  return dashboards.find((d) => d.id === defaultId) ?? dashboards[0];
}

/** Widgets in layout order: by weight, then title (the API orders by weight only). */
export function sortWidgets(ws: WidgetConfig[]): WidgetConfig[] {
  return [...ws].sort((a, b) => (a.weight ?? 10) - (b.weight ?? 10) || (a.title ?? '').localeCompare(b.title ?? ''));
}

export function DashboardPage() {
  const { projectId } = useProject();
  if (!projectId) return <ProjectPicker />;
  return <ProjectDashboard key={projectId} projectId={projectId} />;
}

function ProjectDashboard({ projectId }: { projectId: string }) {
  const { project } = useProject();
  const { dashboard_id } = useParams();
  const navigate = useNavigate();
  const base = `/project/${projectId}/dashboard`;

  const dashboards = useApi<{ dashboards: Dashboard[] }>('dashboard', { query: { project_id: projectId, pageSize: 100 } });
  const types = useApi<{ types: WidgetType[] }>('widget/types', { query: { type: 'widget' } });
  const [deleted, setDeleted] = useState<string[]>([]);
  const [defaultOverride, setDefaultOverride] = useState<string | null | undefined>(undefined);
  const [modal, setModal] = useState<ModalState>(null);
  const [selectOpen, setSelectOpen] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);

  const list = useMemo(() => (dashboards.data?.dashboards ?? []).filter((d) => !deleted.includes(d.id)), [dashboards.data, deleted]);
  const projectReady = project?.id === projectId;
  const defaultId = defaultOverride !== undefined ? defaultOverride : project?.default_dashboard_id;
  const current = dashboard_id ? list.find((d) => d.id === dashboard_id) : undefined;

  // /project/:pid/dashboard → the default (or first) dashboard.
  useEffect(() => {
    if (dashboard_id || !dashboards.data || !projectReady) return;
    const d = pickDashboard(list, defaultId);
    if (d) navigate(`${base}/${d.id}`, { replace: true });
  }, [dashboard_id, dashboards.data, projectReady, list, defaultId, navigate, base]);

  useEffect(() => {
    document.title = current ? `${current.title} | Ibutsu` : 'Dashboard | Ibutsu';
  }, [current]);

  const widgets = useApi<{ widgets: WidgetConfig[] }>(current ? 'widget-config' : null, {
    query: { filter: ['type=widget', `dashboard_id=${current?.id ?? ''}`], pageSize: 100 },
  });
  const widgetList = useMemo(() => sortWidgets(widgets.data?.widgets ?? []), [widgets.data]);
  const typeById = useMemo(() => new Map((types.data?.types ?? []).map((t) => [t.id, t])), [types.data]);

  const makeDefault = async (d: Dashboard) => {
    setActionError(null);
    try {
      await api(`project/${projectId}`, { method: 'PUT', body: { default_dashboard_id: d.id } });
      setDefaultOverride(d.id);
    } catch (e) {
      setActionError(e);
    }
  };

  const toolbar = (
    <Flex alignItems={{ default: 'alignItemsCenter' }} justifyContent={{ default: 'justifyContentSpaceBetween' }} gap={{ default: 'gapMd' }}>
      <Flex alignItems={{ default: 'alignItemsCenter' }} gap={{ default: 'gapSm' }}>
        <FlexItem>
          <Title headingLevel="h1">Dashboard</Title>
        </FlexItem>
        <FlexItem>
          <Select
            isOpen={selectOpen}
            selected={current?.id}
            onSelect={(_e, v) => {
              setSelectOpen(false);
              if (typeof v === 'string') navigate(`${base}/${v}`);
            }}
            onOpenChange={setSelectOpen}
            toggle={(ref) => (
              <MenuToggle
                ref={ref}
                onClick={() => setSelectOpen(!selectOpen)}
                isExpanded={selectOpen}
                // The name contains the visible text (WCAG 2.5.3), e.g. "Select a dashboard, current: Nightly".
                aria-label={
                  current ? `Select a dashboard, current: ${current.title}` : list.length ? 'Select a dashboard' : 'Select a dashboard: no dashboards'
                }
                style={{ minWidth: '16rem' }}
                isDisabled={list.length === 0}
              >
                {current?.title ?? (list.length ? 'Select a dashboard' : 'No dashboards')}
              </MenuToggle>
            )}
            shouldFocusToggleOnSelect
          >
            <SelectList aria-label="Dashboards">
              {list.map((d) => (
                <SelectOption key={d.id} value={d.id} description={d.description || undefined}>
                  {d.title}
                  {d.id === defaultId && (
                    <Label isCompact color="blue" style={{ marginInlineStart: 'var(--pf-t--global--spacer--sm)' }}>
                      default
                    </Label>
                  )}
                </SelectOption>
              ))}
            </SelectList>
          </Select>
        </FlexItem>
        <FlexItem>
          <Button variant="secondary" icon={<PlusCircleIcon />} onClick={() => setModal({ kind: 'new-dashboard' })}>
            New dashboard
          </Button>
        </FlexItem>
        {current && (
          <FlexItem>
            <KebabMenu
              label="Dashboard actions"
              items={[
                {
                  key: 'default',
                  text: 'Make default',
                  isDisabled: current.id === defaultId,
                  description: current.id === defaultId ? "This is the project's default dashboard" : undefined,
                  onClick: () => void makeDefault(current),
                },
                { key: 'delete', text: 'Delete dashboard', onClick: () => setModal({ kind: 'delete-dashboard', dashboard: current }) },
              ]}
            />
          </FlexItem>
        )}
      </Flex>
      <FlexItem>
        <Button variant="primary" icon={<PlusCircleIcon />} isDisabled={!current || !types.data} onClick={() => setModal({ kind: 'add-widget' })}>
          Add widget
        </Button>
      </FlexItem>
    </Flex>
  );

  let body: React.ReactNode;
  if (dashboards.loading && !dashboards.data) body = <Loading label="Loading dashboards" />;
  else if (dashboards.error) body = <ErrorState error={dashboards.error} onRetry={dashboards.reload} />;
  else if (list.length === 0) {
    body = (
      <ActionEmptyState
        title="No dashboards yet"
        icon={TachometerAltIcon}
        actions={
          <Button variant="primary" onClick={() => setModal({ kind: 'new-dashboard' })}>
            New dashboard
          </Button>
        }
      >
        This project has no dashboards. Create one and add widgets to it.
      </ActionEmptyState>
    );
  } else if (!current) {
    body = dashboard_id ? (
      <ActionEmptyState
        title="Dashboard not found"
        icon={TachometerAltIcon}
        actions={
          <Button variant="primary" onClick={() => navigate(base)}>
            Open the default dashboard
          </Button>
        }
      >
        This dashboard does not exist (any more) in this project. Pick another one above.
      </ActionEmptyState>
    ) : (
      <Loading label="Opening the dashboard" />
    );
  } else if (widgets.loading)
    body = <Loading label="Loading widgets" />; // (also when switching dashboards: not the old one's widgets)
  else if (widgets.error) body = <ErrorState error={widgets.error} onRetry={widgets.reload} />;
  else if (widgetList.length === 0) {
    body = (
      <ActionEmptyState
        title="No widgets"
        icon={CubesIcon}
        actions={
          <Button variant="primary" isDisabled={!types.data} onClick={() => setModal({ kind: 'add-widget' })}>
            Add widget
          </Button>
        }
      >
        This dashboard has no widgets yet. Add heatmaps, charts and tables of this project's results.
      </ActionEmptyState>
    );
  } else {
    body = (
      <Grid hasGutter component="ul" aria-label="Widgets" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {widgetList.map((w) => {
          const wide = widgetRenderers[w.widget]?.wide;
          return (
            <GridItem component="li" key={w.id} span={12} md={wide ? 12 : 6} xl={wide ? 8 : 4}>
              <WidgetCard
                config={w}
                type={typeById.get(w.widget)}
                projectId={projectId}
                onEdit={() => setModal({ kind: 'edit-widget', widget: w })}
                onDelete={() => setModal({ kind: 'delete-widget', widget: w })}
              />
            </GridItem>
          );
        })}
      </Grid>
    );
  }

  return (
    <>
      <PageSection>
        {toolbar}
        {current?.description && (
          <Content component="p" style={{ marginTop: 'var(--pf-t--global--spacer--sm)' }}>
            {current.description}
          </Content>
        )}
        {Boolean(actionError) && (
          <Alert
            variant="danger"
            isInline
            title="The default dashboard could not be changed"
            actionClose={<AlertActionCloseButton onClose={() => setActionError(null)} />}
            style={{ marginTop: 'var(--pf-t--global--spacer--sm)' }}
          >
            {actionError instanceof Error ? actionError.message : String(actionError)}
          </Alert>
        )}
        <NoRunsYet projectId={projectId} />
      </PageSection>
      <PageSection isFilled>{body}</PageSection>

      {modal?.kind === 'new-dashboard' && (
        <NewDashboardModal
          projectId={projectId}
          onClose={() => setModal(null)}
          onCreated={(d) => {
            setModal(null);
            dashboards.reload();
            navigate(`${base}/${d.id}`);
          }}
        />
      )}
      {modal?.kind === 'delete-dashboard' && (
        <ConfirmModal
          title="Delete dashboard?"
          confirmText="Delete"
          onClose={() => setModal(null)}
          onConfirm={async () => {
            await api(`dashboard/${modal.dashboard.id}`, { method: 'DELETE' });
            setDeleted((d) => [...d, modal.dashboard.id]);
            if (modal.dashboard.id === defaultId) setDefaultOverride(null);
            setModal(null);
            dashboards.reload();
            navigate(base);
          }}
        >
          The dashboard <strong>{modal.dashboard.title}</strong> and all its widgets will be deleted. This cannot be undone.
        </ConfirmModal>
      )}
      {modal?.kind === 'delete-widget' && (
        <ConfirmModal
          title="Delete widget?"
          confirmText="Delete"
          onClose={() => setModal(null)}
          onConfirm={async () => {
            await api(`widget-config/${modal.widget.id}`, { method: 'DELETE' });
            setModal(null);
            widgets.reload();
          }}
        >
          The widget <strong>{modal.widget.title || modal.widget.widget}</strong> will be removed from this dashboard.
        </ConfirmModal>
      )}
      {(modal?.kind === 'add-widget' || modal?.kind === 'edit-widget') && current && types.data && (
        <Suspense fallback={null}>
          <WidgetWizard
            types={types.data.types}
            dashboard={current}
            projectId={projectId}
            editing={modal.kind === 'edit-widget' ? modal.widget : null}
            defaultWeight={nextWeight(widgetList.map((w) => w.weight))}
            onClose={() => setModal(null)}
            onSaved={() => {
              setModal(null);
              widgets.reload();
            }}
          />
        </Suspense>
      )}
    </>
  );
}
