import { useState } from 'preact/hooks';

/**
 * A button's action: busy while it runs (the button is disabled), its error in words when it
 * fails. Every form and button of the dashboard goes through this one hook.
 */
export function useAction<A extends unknown[]>(action: (...args: A) => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = async (...args: A) => {
    setBusy(true);
    setError(undefined);
    try {
      await action(...args);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error };
}
