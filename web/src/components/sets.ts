// Sets held in React state are replaced, never changed in place: these give
// the next set for a click on an expandable row or a row's checkbox.

/** A copy of set with key in it when on, else without it; on defaults to "not in it yet" (a toggle). */
export function toggled<T>(set: ReadonlySet<T>, key: T, on: boolean = !set.has(key)): Set<T> {
  const next = new Set(set);
  if (on) next.add(key);
  else next.delete(key);
  return next;
}
