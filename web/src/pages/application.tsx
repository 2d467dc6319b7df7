import { useState } from 'preact/hooks';
import { get, patch } from '../api';
import { ClickChart } from '../components/click-chart';
import { ClickTable } from '../components/click-table';
import { DraftsPanel } from '../components/drafts-panel';
import { ErrorLine, Loading } from '../components/feedback';
import { LinkList } from '../components/link-list';
import { ScoreBlock } from '../components/score-block';
import { useLiveData } from '../live';
import { useAction } from '../use-action';
import type { AuditEntry, Click, Draft, Flag, Link, Suggestions } from '../types';
import { actionInWords, decisionInWords, dueInWords, outcomeInWords, plural, priorityInWords, STATUSES, statusInWords, when } from '../words';
import { QueueCard } from './today';

interface ApplicationData {
  view: Suggestions;
  links: Link[];
  clicks: Click[];
  audit: AuditEntry[];
  drafts: { drafts: Draft[]; smtp_configured: boolean };
  flags: Flag[];
}

const loadApplication = (id: string) => async (): Promise<ApplicationData> => {
  const [view, links, clicks, audit, drafts, flags] = await Promise.all([
    get<Suggestions>(`/api/analytics/workflow-suggestions/${id}`),
    get<{ links: Link[] }>(`/api/applications/${id}/links`),
    get<{ clicks: Click[] }>(`/api/applications/${id}/clicks`),
    get<{ entries: AuditEntry[] }>(`/api/audit?application_id=${id}&limit=50`),
    get<ApplicationData['drafts']>(`/api/applications/${id}/drafts`),
    get<{ flags: Flag[] }>(`/api/applications/${id}/flags`),
  ]);
  return { view, links: links.links, clicks: clicks.clicks, audit: audit.entries, drafts, flags: flags.flags };
};

/** One application: what to do, why (scores and their factors), who clicked what, and the trail. */
export function ApplicationPage({ id }: { id: string }) {
  const { data, error, reload } = useLiveData(loadApplication(id), [id]);
  if (!data) {
    return (
      <section>
        <h1>Application</h1>
        <ErrorLine message={error} />
        {!error && <Loading />}
      </section>
    );
  }
  const { application: app, analytics: a, queue_item } = data.view;
  // The queue item already shows the suggestion it carries, with its buttons: list the others.
  const suggestions = data.view.suggestions.filter((s) => s.type !== queue_item?.action_type);
  return (
    <article aria-labelledby="app-title">
      <h1 id="app-title">
        {app.company} <span class="role">· {app.job_title}</span>
      </h1>
      <ErrorLine message={error} />
      <Overview view={data.view} onChange={reload} />
      {data.flags.length > 0 && (
        <ul class="flags" aria-label="Flags">
          {data.flags.map((f) => (
            <li key={f.kind} class={`flag ${f.kind}`}>
              {f.label}
            </li>
          ))}
        </ul>
      )}

      <h2>What to do</h2>
      {queue_item && (
        <ol class="queue">
          <QueueCard item={queue_item} onChange={reload} />
        </ol>
      )}
      {suggestions.length === 0 && !queue_item ? (
        <p class="muted">No suggestion right now. Nobody has opened a link in a way that calls for a step yet.</p>
      ) : (
        <ul class="suggestions">
          {suggestions.map((s) => {
            const due = dueInWords(s.deadline);
            return (
              <li key={s.type}>
                <strong>{actionInWords(s.type)}</strong> <span class={`badge ${s.priority}`}>{priorityInWords(s.priority)}</span>
                <p>{s.recommended_action}</p>
                <p class="muted">
                  Why: {s.reason}
                  {s.deadline && <span class={due.overdue ? 'due overdue' : 'due'}> · {due.text}</span>}
                </p>
              </li>
            );
          })}
        </ul>
      )}

      <h2>Follow-up emails</h2>
      <DraftsPanel applicationId={app.id} drafts={data.drafts.drafts} smtp={data.drafts.smtp_configured} onChange={reload} />

      <h2>Scores</h2>
      <p>
        Outlook: <strong>{outcomeInWords(a.predicted_outcome)}</strong> ({Math.round(a.outcome_probability * 100)}% likely by our model) ·{' '}
        {plural(a.human_clicks, 'click')} by people, {a.bot_clicks} not counted, {plural(a.unique_visitors, 'different visitor')}
      </p>
      <div class="scores">
        <ScoreBlock title="Engagement" score={a.engagement_score} factors={a.factors.engagement} />
        <ScoreBlock title="Intent" score={a.intent_score} factors={a.factors.intent} />
        <ScoreBlock title="Health" score={a.health_score} factors={a.factors.health} />
      </div>

      <h2>Clicks</h2>
      <ClickChart clicks={data.clicks} links={data.links} />
      <ClickTable clicks={data.clicks} />

      <h2>Links to put in your email</h2>
      <LinkList applicationId={app.id} links={data.links} onChange={reload} />

      <h2>Decisions (audit trail)</h2>
      {data.audit.length === 0 ? (
        <p class="muted">No automated decision yet.</p>
      ) : (
        <ul class="audit">
          {data.audit.map((e) => (
            <li key={e.id}>
              <span class="muted">{when(e.occurred_at)}</span> <strong>{decisionInWords(e.decision)}</strong>{' '}
              {e.rule !== 'manual' && <span>({e.rule.replace(/_/g, ' ')})</span>}{' '}
              <span class="muted">by {e.actor}</span>
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

function Overview({ view, onChange }: { view: Suggestions; onChange: () => void }) {
  const app = view.application;
  const [saved, setSaved] = useState(false);
  const changeStatus = useAction(async (status: string) => {
    setSaved(false);
    await patch(`/api/applications/${app.id}`, { status });
    setSaved(true);
    onChange();
  });
  return (
    <div class="overview">
      <label class="inline">
        Status{' '}
        <select value={app.status} disabled={changeStatus.busy} onChange={(e) => changeStatus.run((e.currentTarget as HTMLSelectElement).value)}>
          {STATUSES.map((s) => (
            <option value={s} key={s}>
              {statusInWords(s)}
            </option>
          ))}
        </select>
      </label>
      <span role="status" class="muted">{saved ? 'Saved' : ''}</span>
      <ErrorLine message={changeStatus.error} />
      <dl class="facts">
        <div>
          <dt>Applied</dt>
          <dd>{when(app.applied_at)}</dd>
        </div>
        {app.contact_name && (
          <div>
            <dt>Contact</dt>
            <dd>
              {app.contact_name}
              {app.contact_email ? ` <${app.contact_email}>` : ''}
            </dd>
          </div>
        )}
        {app.job_url && (
          <div>
            <dt>Posting</dt>
            <dd>
              <a href={app.job_url} rel="noopener noreferrer" target="_blank">
                {app.job_url}
              </a>
            </dd>
          </div>
        )}
        {app.notes && (
          <div>
            <dt>Notes</dt>
            <dd class="notes">{app.notes}</dd>
          </div>
        )}
      </dl>
    </div>
  );
}
