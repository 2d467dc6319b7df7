import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/**
 * Live updates: one EventSource on /api/events per tab. The server sends a "change" event when
 * clicks, decisions or applications change; each page then reloads what it shows.
 */
const listeners = new Set<() => void>();
let source: EventSource | null = null;
let connected = false;
const stateListeners = new Set<(up: boolean) => void>();

function setConnected(up: boolean) {
  connected = up;
  for (const l of stateListeners) l(up);
}

export function startLiveUpdates(): void {
  if (source) return;
  source = new EventSource('/api/events');
  source.addEventListener('open', () => setConnected(true));
  source.addEventListener('error', () => setConnected(false));
  source.addEventListener('change', () => {
    for (const l of listeners) l();
  });
}

export function stopLiveUpdates(): void {
  source?.close();
  source = null;
  setConnected(false);
}

export function useLiveState(): boolean {
  const [up, setUp] = useState(connected);
  useEffect(() => {
    stateListeners.add(setUp);
    return () => void stateListeners.delete(setUp);
  }, []);
  return up;
}

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  reload: () => void;
}

/** Loads data now, again when `deps` change, and again on every live change event. */
export function useLiveData<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const generation = useRef(0);
  const reload = useCallback(() => {
    const mine = ++generation.current;
    load().then(
      (value) => {
        if (mine !== generation.current) return; // an older answer must not overwrite a newer one
        setData(value);
        setError(undefined);
      },
      (err: Error) => {
        if (mine === generation.current) setError(err.message);
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(() => {
    setData(undefined);
    reload();
    listeners.add(reload);
    return () => void listeners.delete(reload);
  }, [reload]);
  return { data, error, reload };
}
