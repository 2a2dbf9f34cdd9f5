// The active project comes from the URL (/project/:project_id/...), as in
// the upstream UI, so a bookmark or a shared link opens the same project.
// The last project opened is remembered so pages outside any project
// (administration, profile) keep it selected: the selector still shows it
// and the sidebar leads back into it, instead of dropping the user into
// "all projects". Clearing the selector forgets it.
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { useLocation, useParams } from 'react-router-dom';
import { ApiError } from './api/client';
import { useApi } from './api/useApi';
import type { Project } from './api/types';

interface ProjectState {
  projectId: string | null;
  project: Project | null;
  /** Prefix for links inside the current project: "/project/<id>" or "". */
  base: string;
  /** The project id in the URL names no project the user can see. */
  notFound: boolean;
}

const ProjectContext = createContext<ProjectState>({ projectId: null, project: null, base: '', notFound: false });

const STORAGE_KEY = 'ibutsu.project';

/** The project last opened in this browser, if any. */
export function rememberedProject(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** Remembers (id) or forgets (null) the selected project. */
export function rememberProject(id: string | null) {
  try {
    if (id) window.localStorage.setItem(STORAGE_KEY, id);
    else window.localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage may be disabled; the URL still carries the project.
  }
}

/** Pages that belong to no project and keep the remembered one selected. */
export function carriesProject(pathname: string): boolean {
  return /^\/(admin|profile)(\/|$)/.test(pathname);
}

/** The answers that mean "no such project for you": unknown id, malformed id, not a member. */
function isMissing(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 400 || error.status === 403 || error.status === 404);
}

export function ProjectProvider({ children }: { children: ReactNode }) {
  const { project_id } = useParams();
  const { pathname } = useLocation();
  const carried = !project_id && carriesProject(pathname) ? rememberedProject() : null;
  const id = project_id ?? carried;
  const { data, error } = useApi<Project>(id ? `project/${id}` : null);
  const project = data && data.id === id ? data : null;
  const missing = !!id && !project && isMissing(error);

  useEffect(() => {
    if (project) rememberProject(project.id);
  }, [project]);
  useEffect(() => {
    // A remembered project that is gone (deleted, membership removed) is forgotten.
    if (missing && id === rememberedProject()) rememberProject(null);
  }, [missing, id]);

  const value: ProjectState =
    carried && missing
      ? { projectId: null, project: null, base: '', notFound: false }
      : { projectId: id ?? null, project, base: id ? `/project/${id}` : '', notFound: !!project_id && missing };
  return <ProjectContext.Provider value={value}>{children}</ProjectContext.Provider>;
}

export function useProject(): ProjectState {
  return useContext(ProjectContext);
}
