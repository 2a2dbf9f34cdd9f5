// The active project comes from the URL (/project/:project_id/...), as in
// the upstream UI, so a bookmark or a shared link opens the same project.
import { createContext, useContext, type ReactNode } from 'react';
import { useParams } from 'react-router-dom';
import { useApi } from './api/useApi';
import type { Project } from './api/types';

interface ProjectState {
  projectId: string | null;
  project: Project | null;
  /** Prefix for links inside the current project: "/project/<id>" or "". */
  base: string;
}

const ProjectContext = createContext<ProjectState>({ projectId: null, project: null, base: '' });

export function ProjectProvider({ children }: { children: ReactNode }) {
  const { project_id } = useParams();
  const { data } = useApi<Project>(project_id ? `project/${project_id}` : null);
  const project = data && data.id === project_id ? data : null;
  const base = project_id ? `/project/${project_id}` : '';
  return <ProjectContext.Provider value={{ projectId: project_id ?? null, project, base }}>{children}</ProjectContext.Provider>;
}

export function useProject(): ProjectState {
  return useContext(ProjectContext);
}
