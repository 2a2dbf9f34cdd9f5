// Query-string state: apply changes to the URL's search params, where null,
// "" and page 1 (the default) drop the key so URLs stay short.
import { useSearchParams } from 'react-router-dom';

export type ParamChanges = Record<string, string | number | null>;

/** A copy of params with the changes applied. */
export function patchParams(params: URLSearchParams, changes: ParamChanges): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === '' || (k === 'page' && v === 1)) next.delete(k);
    else next.set(k, String(v));
  }
  return next;
}

/** The search params and a setter that patches them (replacing the history entry). */
export function useParamState(): [URLSearchParams, (changes: ParamChanges) => void] {
  const [params, setParams] = useSearchParams();
  return [params, (changes) => setParams(patchParams(params, changes), { replace: true })];
}
