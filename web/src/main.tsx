import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { get, onSignedOut } from './api';
import { Shell } from './components/shell';
import { startLiveUpdates, stopLiveUpdates } from './live';
import { SignInPage } from './pages/sign-in';

type SessionState = 'checking' | 'signed-in' | 'signed-out';

function App() {
  const [state, setState] = useState<SessionState>('checking');
  useEffect(() => {
    get('/api/session').then(
      () => setState('signed-in'),
      () => setState('signed-out'),
    );
    return onSignedOut(() => setState('signed-out'));
  }, []);
  useEffect(() => {
    if (state === 'signed-in') startLiveUpdates();
    else stopLiveUpdates();
  }, [state]);
  if (state === 'checking') return <p class="loading" role="status">Loading…</p>;
  if (state === 'signed-out') return <SignInPage onSignedIn={() => setState('signed-in')} />;
  return <Shell onSignedOut={() => setState('signed-out')} />;
}

render(<App />, document.getElementById('root')!);
