// Creating a project from the UI (POST /api/project, which any signed-in
// user may call: the caller becomes owner and member, and the server gives
// the project a seeded default dashboard). The title is what people read;
// the name is the identifier clients send as `metadata.project`, so it is
// derived from the title as a slug unless the user types their own.
import { api } from '../../api/client';
import type { Project } from '../../api/types';

/** A project name from a title: lower case, words joined by '-', only [a-z0-9._-]. */
export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 100);
}

/** What is wrong with a new project's title and name, if anything. */
export function validateNewProject(title: string, name: string): { title?: string; name?: string } {
  const out: { title?: string; name?: string } = {};
  if (!title.trim()) out.title = 'Give the project a title.';
  if (!name.trim()) out.name = 'Give the project a name (letters, digits, “-”, “.” or “_”).';
  else if (/\s/.test(name.trim())) out.name = 'The name cannot contain spaces.';
  return out;
}

/** Creates the project; the server's message (e.g. the name is taken) is the error. */
export function createProject(title: string, name: string): Promise<Project> {
  return api<Project>('project', { method: 'POST', body: { title: title.trim(), name: name.trim() } });
}
