// One widget on a dashboard: a card with the widget's title, a kebab menu
// (edit, delete) and the widget drawn from GET /api/widget/<id>.
import { useMemo } from 'react';
import { Card, CardBody, CardHeader, CardTitle, Title } from '@patternfly/react-core';
import type { WidgetConfig, WidgetType } from '../../api/types';
import { KebabMenu } from '../../components/KebabMenu';
import { WidgetView } from '../../widgets/WidgetView';
import { fetchParams } from './wizard/params';

export interface WidgetCardProps {
  config: WidgetConfig;
  type: WidgetType | undefined;
  projectId: string;
  onEdit: () => void;
  onDelete: () => void;
}

export function WidgetCard({ config, type, projectId, onEdit, onDelete }: WidgetCardProps) {
  const title = config.title || type?.title || config.widget;
  const params = useMemo(() => fetchParams(config.params, type, config.project_id ?? projectId), [config.params, type, config.project_id, projectId]);
  const headingId = `widget-title-${config.id}`;
  return (
    <Card isFullHeight data-testid="widget-card" data-widget={config.widget} data-widget-id={config.id} aria-labelledby={headingId} component="section">
      <CardHeader
        actions={{
          hasNoOffset: false,
          actions: (
            <KebabMenu
              label={`Actions for ${title}`}
              alignRight
              items={[
                { key: 'edit', text: 'Edit', onClick: onEdit },
                { key: 'delete', text: 'Delete', onClick: onDelete },
              ]}
            />
          ),
        }}
      >
        <CardTitle>
          <Title headingLevel="h2" size="md" id={headingId}>
            {title}
          </Title>
          {type && title !== type.title && (
            <div style={{ fontSize: 'var(--pf-t--global--font--size--xs)', color: 'var(--pf-t--global--text--color--subtle)', fontWeight: 'normal' }}>
              {type.title}
            </div>
          )}
        </CardTitle>
      </CardHeader>
      <CardBody>
        <WidgetView widget={config.widget} params={params} projectId={config.project_id ?? projectId} title={title} />
      </CardBody>
    </Card>
  );
}
