import { get, post } from '../api';
import { ErrorLine, Loading } from '../components/feedback';
import { useLiveData } from '../live';
import type { Application, QueueItem, Stats } from '../types';
import { actionInWords, dueInWords, outcomeInWords, priorityInWords, spanInWords, statusInWords } from '../words';
import { SampleDataButton } from '../components/sample-data-button';
import { UnmatchedBookings } from '../components/unmatched-bookings';
import { useAction } from '../use-action';

interface TodayData {
  queue: { priority_queue: QueueItem[]; total_pending: number };
  stats: Stats;
  applications: { applications: Application[]; total: number };
}

const loadToday = async (): Promise<TodayData> => {
  const [queue, stats, applications] = await Promise.all([
    get<TodayData['queue']>('/api/analytics/priority-queue?limit=50'),
    get<Stats>('/api/analytics/stats'),
    get<TodayData['applications']>('/api/applications?limit=50'),
  ]);
  return { queue, stats, applications };
};

/** Today: what to do next, most urgent first; then the numbers; then every application. */
export function TodayPage() {
  const { data, error, reload } = useLiveData(loadToday, []);
  return (
    <section aria-labelledby="today-title">
      <h1 id="today-title">Today</h1>
      <ErrorLine message={error} />
      {!data && !error && <Loading />}
      {data && data.applications.total === 0 && <EmptyStart onLoaded={reload} />}
      {data && data.applications.total > 0 && (
        <>
          <Queue items={data.queue.priority_queue} total={data.queue.total_pending} onChange={reload} />
          <UnmatchedBookings onAttached={reload} />
          <StatsBlock stats={data.stats} />
          <ApplicationList data={data.applications} />
        </>
      )}
    </section>
  );
}

function EmptyStart({ onLoaded }: { onLoaded: () => void }) {
  return (
    <div class="empty">
      <h2>No applications yet</h2>
      <p>Add the first job you applied to, with the links you put in your email (resume, portfolio, LinkedIn…). hirepulse gives each link a tracked address; when someone at the company opens it, what to do next shows up here.</p>
      <p class="actions">
        <a class="button" href="/add">Add an application</a>
        <SampleDataButton onLoaded={onLoaded} />
      </p>
      <p class="muted">Just looking? Load the sample data: ten realistic applications with clicks, so you can see every page filled in.</p>
    </div>
  );
}

function Queue({ items, total, onChange }: { items: QueueItem[]; total: number; onChange: () => void }) {
  if (items.length === 0) {
    return (
      <div class="empty">
        <h2>Nothing to follow up right now</h2>
        <p>Put your tracked links in your application emails. When someone opens one, the next step shows up here within seconds.</p>
      </div>
    );
  }
  return (
    <>
      <h2>
        Next up <span class="count">({total} waiting)</span>
      </h2>
      <ol class="queue">
        {items.map((item) => (
          <QueueCard key={item.application_id} item={item} onChange={onChange} />
        ))}
      </ol>
    </>
  );
}

export function QueueCard({ item, onChange }: { item: QueueItem; onChange: () => void }) {
  const due = dueInWords(item.deadline);
  const mark = useAction(async (outcome: 'done' | 'dismissed') => {
    await post(`/api/analytics/priority-queue/${item.application_id}/processed`, { outcome });
    onChange();
  });
  const who = `${item.company}, ${item.job_title}`;
  return (
    <li class={`card priority-${item.priority ?? 'none'}`}>
      <div class="card-head">
        <a class="title" href={`/applications/${item.application_id}`}>
          {item.company} <span class="role">· {item.job_title}</span>
        </a>
        <span class={`badge ${item.priority ?? ''}`} title={`priority score ${item.priority_score} of 100`}>
          {priorityInWords(item.priority)} · {item.priority_score}
        </span>
      </div>
      <p class="action">{actionInWords(item.action_type)}</p>
      {item.flags && item.flags.length > 0 && (
        <ul class="flags" aria-label="Flags">
          {item.flags.map((f) => (
            <li key={f.kind} class={`flag ${f.kind}`}>
              {f.label}
            </li>
          ))}
        </ul>
      )}
      <p class="sentence">{item.recommended_action}</p>
      <p class="meta">
        <span class={due.overdue ? 'due overdue' : 'due'}>{due.overdue ? `⚠ ${due.text}` : due.text}</span>
        <span>{statusInWords(item.status)}</span>
        <span>{outcomeInWords(item.predicted_outcome)}</span>
      </p>
      <ErrorLine message={mark.error} />
      <p class="buttons">
        <button type="button" disabled={mark.busy} onClick={() => mark.run('done')} aria-label={`Mark done: ${who}`}>
          Done
        </button>
        <button type="button" class="secondary" disabled={mark.busy} onClick={() => mark.run('dismissed')} aria-label={`Dismiss: ${who}`}>
          Dismiss
        </button>
      </p>
    </li>
  );
}

function StatsBlock({ stats }: { stats: Stats }) {
  const avg = stats.avg_processing_time_seconds;
  return (
    <>
      <h2>Numbers</h2>
      <dl class="stats">
        <div>
          <dt>In the queue</dt>
          <dd>{stats.total_in_queue}</dd>
        </div>
        <div>
          <dt>High priority</dt>
          <dd>{stats.high_priority}</dd>
        </div>
        <div>
          <dt>Overdue</dt>
          <dd class={stats.overdue_actions > 0 ? 'overdue' : undefined}>{stats.overdue_actions}</dd>
        </div>
        <div>
          <dt>Time to handle</dt>
          <dd>{avg === null ? '—' : spanInWords(avg * 1000)}</dd>
        </div>
      </dl>
    </>
  );
}

function ApplicationList({ data }: { data: TodayData['applications'] }) {
  return (
    <>
      <h2>
        All applications <span class="count">({data.total})</span>
      </h2>
      <ul class="apps">
        {data.applications.map((a) => (
          <li key={a.id}>
            <a href={`/applications/${a.id}`}>
              {a.company} <span class="role">· {a.job_title}</span>
            </a>
            <span class="muted">
              {statusInWords(a.status)}
              {a.scores ? ` · engagement ${a.scores.engagement_score}` : ''}
            </span>
          </li>
        ))}
      </ul>
      {data.total > data.applications.length && <p class="muted">Showing the newest {data.applications.length}.</p>}
    </>
  );
}
