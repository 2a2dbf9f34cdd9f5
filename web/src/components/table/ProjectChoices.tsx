// What "Choose a project" offers besides the masthead's selector: links into
// the first projects the user can see, straight to the same list there. A
// superadmin who has just imported a first report otherwise meets an empty
// list with nothing to click but the selector.
import { Link } from 'react-router-dom';
import { List, ListItem } from '@patternfly/react-core';
import { useApi } from '../../api/useApi';
import type { Project } from '../../api/types';

/** How many projects the state links to; the selector has the rest. */
export const PROJECT_CHOICES = 8;

/** Links to the user's first projects (by title) at /project/<id>/<path>; nothing while loading or on failure. */
export function ProjectChoices({ path }: { path: string }) {
  const { data } = useApi<{ projects: Project[] }>('project', { query: { pageSize: PROJECT_CHOICES } });
  const projects = [...(data?.projects ?? [])].sort((a, b) => (a.title || a.name).localeCompare(b.title || b.name));
  if (projects.length === 0) return null;
  return (
    <List isPlain aria-label="Projects to choose from" data-testid="project-choices">
      {projects.map((p) => (
        <ListItem key={p.id}>
          <Link to={`/project/${p.id}/${path}`}>{p.title || p.name}</Link>
        </ListItem>
      ))}
    </List>
  );
}
