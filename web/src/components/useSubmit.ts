// The submit state of a dialog's form: busy while the request runs, the
// server's message when it fails (the form stays open to fix and retry).
// On success busy stays set: the caller closes the dialog, or calls reset
// when the same dialog opens again (ConfirmModal).
import { useCallback, useState } from 'react';
import { errorText } from '../api/client';

export function useSubmit(): { busy: boolean; error: string | null; run: (fn: () => Promise<void>) => Promise<void>; reset: () => void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  const reset = useCallback(() => {
    setBusy(false);
    setError(null);
  }, []);
  return { busy, error, run, reset };
}
