// Lets any page open the masthead's import dialog (the empty state's
// "Import test results"), optionally with a project chosen.
import { createContext, useContext } from 'react';

export type OpenImport = (projectId?: string) => void;

export const ImportLauncher = createContext<OpenImport | null>(null);

/** The function that opens the import dialog; null outside the app shell. */
export function useOpenImport(): OpenImport | null {
  return useContext(ImportLauncher);
}
