import { useState } from 'preact/hooks';
import { ApiError, get, post } from '../api';
import { useLiveData } from '../live';
import { useAction } from '../use-action';
import { CopyButton } from './copy-button';
import { ErrorLine } from './feedback';

/** One test's outcome in words: good (green), bad (red), or plain. */
interface Outcome {
  tone: 'good' | 'bad' | 'plain';
  text: string;
}

function OutcomeLine({ outcome, busy }: { outcome: Outcome | undefined; busy: boolean }) {
  return (
    <p role="status" aria-live="polite">
      {busy ? <span class="muted">Testing…</span> : outcome && <span class={outcome.tone === 'good' ? 'person' : outcome.tone === 'bad' ? 'error' : undefined}>{outcome.text}</span>}
    </p>
  );
}

/** A test route's answer or its refusal, both as an outcome (a 409 "not configured" says what to set). */
async function outcomeOf<T>(run: () => Promise<T>, words: (answer: T) => Outcome): Promise<Outcome> {
  try {
    return words(await run());
  } catch (err) {
    if (err instanceof ApiError && err.status === 409) return { tone: 'bad', text: `Not configured: ${err.message}.` };
    throw err;
  }
}

interface SmtpAnswer {
  ok: boolean;
  message: string;
}

/** Settings → Email sending: check the connection and login, or send a short message to yourself. */
export function SmtpTest() {
  const [outcome, setOutcome] = useState<Outcome>();
  const test = useAction(async (send: boolean) => {
    setOutcome(undefined);
    setOutcome(await outcomeOf(() => post<SmtpAnswer>('/api/settings/smtp/test', { send }), (a) => ({ tone: a.ok ? 'good' : 'bad', text: a.message })));
  });
  return (
    <>
      <p class="buttons">
        <button type="button" class="secondary small" disabled={test.busy} onClick={() => test.run(false)}>
          Test the connection
        </button>
        <button type="button" class="secondary small" disabled={test.busy} onClick={() => test.run(true)}>
          Send a test message
        </button>
      </p>
      <ErrorLine message={test.error} />
      <OutcomeLine outcome={outcome} busy={test.busy} />
    </>
  );
}

interface ProviderAddress {
  provider: string;
  name: string;
  url: string;
  key_variable: string;
  key_set: boolean;
}
interface BookingsAnswer {
  ok: boolean;
  providers: (ProviderAddress & { check: 'passed' | 'failed' | 'not_configured'; message: string })[];
  problems: string[];
  warnings: string[];
}

/** Settings → Booking integration: the addresses to register, which keys are set, and a dry run. */
export function BookingsTest() {
  const { data, error } = useLiveData(() => get<{ providers: ProviderAddress[] }>('/api/settings/bookings'), []);
  const [answer, setAnswer] = useState<BookingsAnswer>();
  const test = useAction(async () => {
    setAnswer(undefined);
    setAnswer(await post<BookingsAnswer>('/api/settings/bookings/test'));
  });
  return (
    <>
      <ErrorLine message={error} />
      {data?.providers.map((p) => (
        <div key={p.provider}>
          <p class="copy-row">
            <label class="inline" for={`hook-url-${p.provider}`}>
              {p.name} webhook address
            </label>
            <input id={`hook-url-${p.provider}`} readOnly value={p.url} />
            <CopyButton text={p.url} label={`Copy the ${p.name} webhook address`} />
          </p>
          <p class="muted">
            <code>{p.key_variable}</code> {p.key_set ? 'is set' : 'is not set'}.
          </p>
        </div>
      ))}
      <p class="buttons">
        <button type="button" class="secondary small" disabled={test.busy} onClick={() => test.run()}>
          Test the booking setup
        </button>
      </p>
      <ErrorLine message={test.error} />
      <div role="status" aria-live="polite">
        {test.busy && <p class="muted">Testing…</p>}
        {answer && (
          <>
            <p class={answer.ok ? 'person' : 'error'}>{answer.ok ? 'Bookings can be received.' : 'Bookings cannot be received yet:'}</p>
            <ul>
              {answer.problems.map((p) => (
                <li key={p} class="error">
                  {p}
                </li>
              ))}
              {answer.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
              {answer.providers
                .filter((p) => p.check !== 'not_configured')
                .map((p) => (
                  <li key={p.provider}>
                    {p.name}: {p.message}
                  </li>
                ))}
            </ul>
          </>
        )}
      </div>
    </>
  );
}

interface DigestInfo {
  hour: number;
  time_zone: string;
  emailed: boolean;
  to: string | null;
  today: { local_date: string; status: string };
  next_at: string;
  next_at_local: string;
}
interface DigestAnswer {
  subject: string;
  body: string;
  sent: boolean;
  error: string | null;
  message: string;
}

/** Settings → Daily digest: when it goes out, and today's sent (or shown) now as a test. */
export function DigestTest() {
  const { data, error } = useLiveData(() => get<DigestInfo>('/api/settings/digest'), []);
  const [answer, setAnswer] = useState<DigestAnswer>();
  const test = useAction(async () => {
    setAnswer(undefined);
    setAnswer(await post<DigestAnswer>('/api/settings/digest/test'));
  });
  const soon = data && new Date(data.next_at).getTime() <= Date.now() + 60_000;
  return (
    <>
      <ErrorLine message={error} />
      {data && (
        <p>
          At {String(data.hour).padStart(2, '0')}:00 in {data.time_zone}
          {data.emailed && data.to ? `, emailed to ${data.to}` : ''}. Next: {soon ? 'within a minute (today’s is due and not made yet)' : data.next_at_local}.
          {data.today.status === 'empty' && ' Today had nothing to say, so nothing was sent.'}
        </p>
      )}
      <p class="buttons">
        <button type="button" class="secondary small" disabled={test.busy} onClick={() => test.run()}>
          {data && !data.emailed ? 'Show today’s digest' : 'Send today’s digest now'}
        </button>
      </p>
      <ErrorLine message={test.error} />
      <div role="status" aria-live="polite">
        {test.busy && <p class="muted">Working…</p>}
        {answer && (
          <>
            <p class={answer.sent ? 'person' : answer.error ? 'error' : undefined}>{answer.message}</p>
            {!answer.sent && (
              <div class="card">
                <p>
                  <strong>{answer.subject}</strong>
                </p>
                <pre class="draft-body">{answer.body}</pre>
              </div>
            )}
          </>
        )}
      </div>
    </>
  );
}
