import { useState } from 'preact/hooks';
import { del, get, post } from '../api';
import { useLiveData } from '../live';
import { useAction } from '../use-action';
import { plural, when } from '../words';
import { CopyButton } from './copy-button';
import { ErrorLine, Loading } from './feedback';

/** The events an endpoint can subscribe to (SPEC §9, docs/webhooks.md), in words. */
const EVENTS: { type: string; words: string }[] = [
  { type: 'click.recorded', words: 'a person opened one of your links' },
  { type: 'trigger.fired', words: 'a follow-up rule fired' },
  { type: 'queue.updated', words: 'the to-do list changed' },
  { type: 'action.completed', words: 'you marked something done' },
  { type: 'booking.created', words: 'a meeting was booked' },
  { type: 'digest.ready', words: 'the daily digest is ready' },
];

interface Endpoint {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  enabled: boolean;
  disabled_at: string | null;
  disabled_reason: string | null;
  created_at: string;
  secret?: string;
}

interface Delivery {
  id: number;
  event_type: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
}

const DELIVERY_WORDS: Record<Delivery['status'], string> = {
  pending: 'waiting to be sent',
  succeeded: 'delivered',
  failed: 'gave up',
};

/**
 * Settings → Webhooks: register an endpoint (its signing secret is shown once), see what was
 * sent to each and what the receiver answered, send a failed delivery again, remove an endpoint.
 * The same /api/webhooks routes a script uses.
 */
export function WebhooksPanel() {
  const { data, error, reload } = useLiveData(() => get<{ webhooks: Endpoint[] }>('/api/webhooks'), []);
  const [created, setCreated] = useState<Endpoint>();
  return (
    <section aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">Webhooks</h2>
      <p class="muted">
        hirepulse POSTs signed JSON to these addresses when something happens (n8n, Zapier, a Slack relay, your own script). Receivers check the
        signature with the endpoint's secret; see docs/webhooks.md.
      </p>
      <ErrorLine message={error} />
      {!data && !error && <Loading />}
      {created?.secret && <NewSecret endpoint={created} onDismiss={() => setCreated(undefined)} />}
      {data && data.webhooks.length === 0 && <p>No webhook yet.</p>}
      {data && data.webhooks.length > 0 && (
        <ul class="integrations">
          {data.webhooks.map((w) => (
            <EndpointItem key={w.id} endpoint={w} onChange={reload} />
          ))}
        </ul>
      )}
      <AddEndpointForm
        onCreated={(endpoint) => {
          setCreated(endpoint);
          reload();
        }}
      />
    </section>
  );
}

function NewSecret({ endpoint, onDismiss }: { endpoint: Endpoint; onDismiss: () => void }) {
  return (
    <div class="card" role="status">
      <p>
        <strong>Webhook added.</strong> Its signing secret is shown only now: copy it into the receiver.
      </p>
      <p class="copy-row">
        <label class="inline" for="new-webhook-secret">Signing secret</label>
        <input id="new-webhook-secret" readOnly value={endpoint.secret} />
        <CopyButton text={endpoint.secret ?? ''} label="Copy the signing secret" />
      </p>
      <p class="buttons">
        <button type="button" class="secondary small" onClick={onDismiss}>
          I have copied it
        </button>
      </p>
    </div>
  );
}

function AddEndpointForm({ onCreated }: { onCreated: (endpoint: Endpoint) => void }) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>(['trigger.fired', 'booking.created']);
  const add = useAction(async () => {
    const body: Record<string, unknown> = { url: url.trim(), events };
    if (description.trim() !== '') body.description = description.trim();
    const endpoint = await post<Endpoint>('/api/webhooks', body);
    setUrl('');
    setDescription('');
    onCreated(endpoint);
  });
  const toggle = (type: string, on: boolean) => setEvents((now) => (on ? [...now, type] : now.filter((t) => t !== type)));
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void add.run();
      }}
    >
      <fieldset>
        <legend>Add a webhook</legend>
        <label>
          Address (URL)
          <input type="url" required value={url} placeholder="https://n8n.example.com/webhook/hirepulse" onInput={(e) => setUrl(e.currentTarget.value)} />
        </label>
        <label>
          Description (optional)
          <input value={description} maxLength={500} onInput={(e) => setDescription(e.currentTarget.value)} />
        </label>
        <fieldset class="checks">
          <legend>Send these events</legend>
          {EVENTS.map((ev) => (
            <label key={ev.type}>
              <input type="checkbox" checked={events.includes(ev.type)} onChange={(e) => toggle(ev.type, e.currentTarget.checked)} />
              <span>
                <code>{ev.type}</code>: {ev.words}
              </span>
            </label>
          ))}
        </fieldset>
        <ErrorLine message={add.error} />
        <p class="buttons">
          <button type="submit" disabled={add.busy || events.length === 0}>
            Add webhook
          </button>
        </p>
      </fieldset>
    </form>
  );
}

interface TestAnswer {
  ok: boolean;
  message: string;
}

function EndpointItem({ endpoint, onChange }: { endpoint: Endpoint; onChange: () => void }) {
  const [open, setOpen] = useState(false);
  const [tested, setTested] = useState<TestAnswer>();
  const [logVersion, setLogVersion] = useState(0);
  const test = useAction(async () => {
    setTested(undefined);
    setTested(await post<TestAnswer>(`/api/webhooks/${endpoint.id}/test`));
    setLogVersion((v) => v + 1);
  });
  const remove = useAction(async () => {
    if (!window.confirm(`Remove the webhook to ${endpoint.url}? Nothing more is sent to it.`)) return;
    await del(`/api/webhooks/${endpoint.id}`);
    onChange();
  });
  return (
    <li>
      <strong>{endpoint.description ?? endpoint.url}</strong>
      {endpoint.description && <span class="muted"> · {endpoint.url}</span>}
      <p>
        {endpoint.enabled ? (
          <span class="person">active</span>
        ) : (
          <span class="error">
            stopped {when(endpoint.disabled_at ?? endpoint.created_at)}: {endpoint.disabled_reason ?? 'disabled'}. Add it again to receive events.
          </span>
        )}{' '}
        <span class="muted">· {endpoint.events.join(', ')}</span>
      </p>
      <ErrorLine message={remove.error ?? test.error} />
      <p class="buttons">
        {endpoint.enabled && (
          <button type="button" class="secondary small" disabled={test.busy} onClick={() => test.run()} aria-label={`Send test event to ${endpoint.url}`}>
            Send test event
          </button>
        )}
        <button type="button" class="secondary small" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Hide deliveries' : 'Show deliveries'}
        </button>
        <button type="button" class="secondary small" disabled={remove.busy} onClick={() => remove.run()} aria-label={`Remove the webhook to ${endpoint.url}`}>
          Remove
        </button>
      </p>
      <p role="status" aria-live="polite">
        {test.busy ? <span class="muted">Sending…</span> : tested && <span class={tested.ok ? 'person' : 'error'}>{tested.message}</span>}
      </p>
      {open && <DeliveryLog endpoint={endpoint} version={logVersion} />}
    </li>
  );
}

function DeliveryLog({ endpoint, version }: { endpoint: Endpoint; version: number }) {
  const { data, error, reload } = useLiveData(() => get<{ deliveries: Delivery[] }>(`/api/webhooks/${endpoint.id}/deliveries?limit=20`), [endpoint.id, version]);
  const replay = useAction(async (id: number) => {
    await post(`/api/webhooks/${endpoint.id}/deliveries/${id}/replay`);
    reload();
  });
  return (
    <div aria-label={`Deliveries to ${endpoint.url}`} role="region">
      <ErrorLine message={error ?? replay.error} />
      {!data && !error && <Loading />}
      {data && data.deliveries.length === 0 && <p class="muted">Nothing sent yet.</p>}
      {data && data.deliveries.length > 0 && (
        <div class="table-wrap" tabIndex={0} aria-label="Deliveries table">
        <table class="deliveries">
          <caption class="muted">The last {data.deliveries.length} deliveries, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Made</th>
              <th scope="col">State</th>
              <th scope="col">Last answer</th>
              <th scope="col">
                <span class="sr-only">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.deliveries.map((d) => (
              <tr key={d.id}>
                <td>
                  <code>{d.event_type}</code>
                </td>
                <td>{when(d.created_at)}</td>
                <td>
                  {DELIVERY_WORDS[d.status]}
                  {d.attempts > 0 && ` after ${plural(d.attempts, 'attempt')}`}
                  {d.status === 'pending' && d.next_attempt_at && `; next ${when(d.next_attempt_at)}`}
                </td>
                <td>{d.last_status_code !== null ? `HTTP ${d.last_status_code}` : (d.last_error ?? '—')}</td>
                <td>
                  {d.status === 'failed' && endpoint.enabled && (
                    <button type="button" class="secondary small" disabled={replay.busy} onClick={() => replay.run(d.id)}>
                      Send again
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      <p class="buttons">
        <button type="button" class="secondary small" onClick={reload}>
          Refresh
        </button>
      </p>
    </div>
  );
}
