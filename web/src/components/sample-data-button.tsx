import { post } from '../api';
import { useAction } from '../use-action';
import { ErrorLine } from './feedback';

/** POST /api/demo: the sample searches, for a first look at a filled dashboard. */
export function SampleDataButton({ onLoaded }: { onLoaded: () => void }) {
  const load = useAction(async () => {
    await post('/api/demo');
    onLoaded();
  });
  return (
    <>
      <button type="button" class="secondary" onClick={() => load.run()} disabled={load.busy}>
        {load.busy ? 'Loading sample data…' : 'Load sample data'}
      </button>
      <ErrorLine message={load.error} />
    </>
  );
}
