import { useState } from 'preact/hooks';
import { patch, post } from '../api';
import type { Draft } from '../types';
import { useAction } from '../use-action';
import { when } from '../words';
import { ErrorLine } from './feedback';

const STATUS_WORDS: Record<Draft['status'], string> = {
  draft: 'Draft: waiting for you',
  approved: 'Approved',
  sent: 'Sent',
  failed: 'Could not be sent',
  unknown: 'May not have been sent',
  discarded: 'Discarded',
  withheld: 'Not offered',
};

/** The follow-up drafts of an application: read, edit, approve, discard, and what became of each. */
export function DraftsPanel({ applicationId, drafts, smtp, onChange }: { applicationId: string; drafts: Draft[]; smtp: boolean; onChange: () => void }) {
  const ask = useAction(async () => {
    await post(`/api/applications/${applicationId}/drafts`, {});
    onChange();
  });
  const shown = drafts.filter((d) => d.status !== 'discarded');
  return (
    <div class="drafts">
      {shown.length === 0 && <p class="muted">No follow-up drafted yet. One is written for you when a reader looks at several of your links.</p>}
      <ul class="draft-list">
        {shown.map((d) => (
          <DraftCard key={d.id} draft={d} smtp={smtp} onChange={onChange} />
        ))}
      </ul>
      <ErrorLine message={ask.error} />
      <p class="buttons">
        <button type="button" class="secondary" disabled={ask.busy} onClick={() => ask.run()}>
          Write a follow-up now
        </button>
        <a class="button secondary" href={`/api/applications/${applicationId}/interview-pack?format=html`} target="_blank" rel="noopener">
          Open the interview pack
        </a>
      </p>
    </div>
  );
}

function DraftCard({ draft, smtp, onChange }: { draft: Draft; smtp: boolean; onChange: () => void }) {
  const [subject, setSubject] = useState(draft.subject);
  const [body, setBody] = useState(draft.body);
  const [toEmail, setToEmail] = useState(draft.to_email ?? '');
  const [warnings, setWarnings] = useState<string[]>([]);
  const base = `/api/applications/${draft.application_id}/drafts/${draft.id}`;
  const save = async () => {
    const res = await patch<Draft>(base, { subject, body, to_email: toEmail.trim() === '' ? null : toEmail.trim() });
    setWarnings(res.warnings ?? []);
  };
  const act = useAction(async (what: 'save' | 'approve' | 'discard' | 'mark_sent' | 'send_again') => {
    if (what === 'save') {
      await save(); // the form already shows the saved text; stay here with the warnings
      return;
    }
    if (what === 'approve') {
      await save();
      await post(`${base}/approve`);
    } else if (what === 'discard') await post(`${base}/discard`);
    else await post(`${base}/resolve`, { decision: what });
    onChange();
  });
  const id = `draft-${draft.id}`;
  return (
    <li class={`card draft ${draft.status}`} aria-labelledby={`${id}-title`}>
      <p class="card-head">
        <strong id={`${id}-title`}>{STATUS_WORDS[draft.status]}</strong>
        <span class="muted">
          {draft.requested_by === 'person' ? 'asked by you' : 'written for you'} · {when(draft.created_at)}
        </span>
      </p>
      {draft.status === 'withheld' && <p class="muted">{draft.withheld_reason}. Use “Write a follow-up now” if you want one anyway.</p>}
      {draft.status === 'draft' ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void act.run('approve');
          }}
        >
          <label>
            To (email)
            <input type="email" value={toEmail} onInput={(e) => setToEmail((e.currentTarget as HTMLInputElement).value)} />
          </label>
          <label>
            Subject
            <input type="text" required maxLength={300} value={subject} onInput={(e) => setSubject((e.currentTarget as HTMLInputElement).value)} />
          </label>
          <label>
            Message
            <textarea rows={10} required value={body} onInput={(e) => setBody((e.currentTarget as HTMLTextAreaElement).value)} />
          </label>
          {warnings.length > 0 && (
            <p class="warning" role="alert">
              These words may tell the reader you saw what they opened: {warnings.join(', ')}.
            </p>
          )}
          <ErrorLine message={act.error} />
          <p class="buttons">
            <button type="submit" disabled={act.busy}>
              {smtp ? 'Approve and send' : 'Approve'}
            </button>
            <button type="button" class="secondary" disabled={act.busy} onClick={() => act.run('save')}>
              Save
            </button>
            <button type="button" class="secondary" disabled={act.busy} onClick={() => act.run('discard')}>
              Discard
            </button>
          </p>
        </form>
      ) : (
        draft.status !== 'withheld' && (
          <>
            <p>
              <strong>{draft.subject}</strong> <span class="muted">to {draft.to_email ?? '—'}</span>
            </p>
            <pre class="draft-body">{draft.body}</pre>
          </>
        )
      )}
      {draft.mailto && (
        <p class="buttons">
          <a class="button" href={draft.mailto}>
            Open in your mail program
          </a>
          {draft.eml_url && (
            <a class="button secondary" href={draft.eml_url} download>
              Download .eml
            </a>
          )}
        </p>
      )}
      {draft.delivery && draft.status === 'approved' && (
        <p class="muted" role="status">
          {draft.delivery.attempts === 0 ? 'Waiting to be sent.' : `Not sent yet (${draft.delivery.last_error ?? 'trying'}); next try ${when(draft.delivery.next_attempt_at)}.`}
        </p>
      )}
      {draft.status === 'sent' && <p class="muted">Sent {when(draft.sent_at)}.</p>}
      {(draft.status === 'unknown' || draft.status === 'failed') && (
        <>
          <p class="warning">
            {draft.status === 'unknown'
              ? 'The mail server may have received it before the connection ended. Check your Sent folder or ask the recipient before sending it again.'
              : `The mail server refused it: ${draft.delivery?.last_error ?? ''}`}
          </p>
          <ErrorLine message={act.error} />
          <p class="buttons">
            {draft.status === 'unknown' && (
              <button type="button" disabled={act.busy} onClick={() => act.run('mark_sent')}>
                It arrived
              </button>
            )}
            <button type="button" class="secondary" disabled={act.busy} onClick={() => act.run('send_again')}>
              Send again
            </button>
          </p>
        </>
      )}
    </li>
  );
}
