import { useState } from 'preact/hooks';
import { get } from '../api';
import { ErrorLine, Loading } from '../components/feedback';
import { BookingsTest, DigestTest, SmtpTest } from '../components/integration-tests';
import { WebhooksPanel } from '../components/webhooks-panel';
import { useLiveData } from '../live';
import { when } from '../words';

interface SettingItem {
  name: string;
  value: string;
}
interface Integration {
  key: 'smtp' | 'webhooks' | 'bookings' | 'digest';
  name: string;
  configured: boolean;
  status: string;
}
interface SettingsData {
  service: SettingItem[];
  integrations: Integration[];
  session: { created_at: string; expires_at: string } | null;
}

/** Settings: what this service runs with, which integrations are set up, and the webhooks (added and removed here). */
export function SettingsPage() {
  const { data, error } = useLiveData(() => get<SettingsData>('/api/settings'), []);
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <p class="muted">Settings come from environment variables when the service starts (see the README). This page shows them; it does not change them. Webhooks, below, are kept in the database and managed here.</p>
      <ErrorLine message={error} />
      {!data && !error && <Loading />}
      {data && (
        <>
          <h2>Service</h2>
          <dl class="facts">
            {data.service.map((s) => (
              <div key={s.name}>
                <dt>{s.name}</dt>
                <dd>{s.value}</dd>
              </div>
            ))}
          </dl>
          <HealthCheck />
          <h2>Integrations</h2>
          <ul class="integrations">
            {data.integrations.map((i) => (
              <li key={i.name}>
                <strong>{i.name}</strong>: <span class={i.configured ? 'person' : 'muted'}>{i.configured ? 'configured' : 'not configured yet'}</span>
                <p class="muted">{i.status}</p>
                <IntegrationTest which={i.key} />
              </li>
            ))}
          </ul>
          <WebhooksPanel />
          {data.session && (
            <>
              <h2>This session</h2>
              <p>
                Signed in {when(data.session.created_at)}; the session ends {when(data.session.expires_at)} or when you sign out.
              </p>
            </>
          )}
        </>
      )}
    </section>
  );
}

/** Each integration's test (SPEC §7: "a test button each"); the webhooks are tested one endpoint at a time, below. */
function IntegrationTest({ which }: { which: Integration['key'] }) {
  switch (which) {
    case 'smtp':
      return <SmtpTest />;
    case 'bookings':
      return <BookingsTest />;
    case 'digest':
      return <DigestTest />;
    case 'webhooks':
      return (
        <p>
          Each endpoint under <strong>Webhooks</strong> below has a <strong>Send test event</strong> button.
        </p>
      );
  }
}

/** Is the service and its database answering? */
function HealthCheck() {
  const [result, setResult] = useState<string>();
  const test = async () => {
    setResult('Checking…');
    try {
      const health = await get<{ status: string; database: string }>('/healthz');
      setResult(`The service answers and its database (${health.database}) is reachable.`);
    } catch (err) {
      setResult(`Problem: ${(err as Error).message}`);
    }
  };
  return (
    <p>
      <button type="button" class="secondary" onClick={test}>
        Test the service
      </button>{' '}
      <span role="status">{result}</span>
    </p>
  );
}
