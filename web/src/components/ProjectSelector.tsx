// Type-ahead project picker for the masthead: searches the server
// (title contains the typed text) so it scales past one page of projects,
// and navigates to the same page of the chosen project.
import { useMemo, useRef } from 'react';
import { api } from '../api/client';
import type { Project } from '../api/types';
import { type AsyncOption, AsyncSelect } from './typeahead/AsyncSelect';

interface Props {
  selected: Project | null;
  onSelect: (p: Project | null) => void;
}

/** A project as a type-ahead option: title, with the name below when it differs. */
export const projectOption = (p: Project): AsyncOption => ({ value: p.id, label: p.title || p.name, description: p.name !== p.title ? p.name : undefined });

/** The first 50 projects whose title contains text (all the caller can see for ""). */
export async function searchProjects(text: string, signal: AbortSignal): Promise<Project[]> {
  const d = await api<{ projects: Project[] }>('project', { query: { pageSize: 50, filter: text ? [`title%${text}`] : undefined }, signal });
  return (d.projects ?? []).slice(0, 50);
}

export function ProjectSelector({ selected, onSelect }: Props) {
  // The projects of the last search, to hand the picked one back whole.
  const loaded = useRef(new Map<string, Project>());
  const current = useMemo(() => (selected ? projectOption(selected) : null), [selected]);

  const load = async (text: string, signal: AbortSignal) => {
    const projects = await searchProjects(text, signal);
    loaded.current = new Map(projects.map((p) => [p.id, p]));
    return projects.map(projectOption);
  };

  return (
    <AsyncSelect
      id="project-select"
      aria-label="Select a project"
      toggleLabel="Project selector"
      clearLabel="Clear project"
      placeholder="No active project"
      emptyText="No projects found"
      selected={current}
      onSelect={(o) => onSelect(o ? (loaded.current.get(o.value) ?? null) : null)}
      load={load}
    />
  );
}
