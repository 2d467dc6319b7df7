import { useState } from 'preact/hooks';
import { post } from '../api';
import { ErrorLine } from './feedback';

/** POST /api/demo: the sample searches, for a first look at a filled dashboard. */
export function SampleDataButton({ onLoaded }: { onLoaded: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const load = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await post('/api/demo');
      onLoaded();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" class="secondary" onClick={load} disabled={busy}>
        {busy ? 'Loading sample data…' : 'Load sample data'}
      </button>
      <ErrorLine message={error} />
    </>
  );
}
