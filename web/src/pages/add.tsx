import { useState } from 'preact/hooks';
import { post } from '../api';
import { ErrorLine } from '../components/feedback';
import { CsvImport } from '../components/csv-import';
import { LinkFields, emptyLink, type LinkDraft } from '../components/link-fields';
import { linkBody } from '../components/link-list';
import { navigate } from '../router';
import { useAction } from '../use-action';
import type { Application } from '../types';
import { STATUSES, statusInWords } from '../words';

interface Draft {
  applied_on: string;
  company: string;
  job_title: string;
  status: string;
  contact_name: string;
  contact_email: string;
  job_url: string;
  notes: string;
}

const today = () => new Date().toLocaleDateString('en-CA'); // YYYY-MM-DD, local
const blank = (): Draft => ({ applied_on: today(), company: '', job_title: '', status: 'applied', contact_name: '', contact_email: '', job_url: '', notes: '' });

/** Add: one application and its links in one form; or many applications from a CSV file. */
export function AddPage() {
  const [draft, setDraft] = useState<Draft>(blank);
  const [links, setLinks] = useState<LinkDraft[]>([emptyLink('resume'), emptyLink('linkedin')]);
  const field = (name: keyof Draft) => ({
    value: draft[name],
    onInput: (e: Event) => setDraft({ ...draft, [name]: (e.currentTarget as HTMLInputElement).value }),
  });

  const save = useAction(async () => {
    const body: Record<string, string> = { company: draft.company.trim(), job_title: draft.job_title.trim(), status: draft.status };
    for (const name of ['contact_name', 'contact_email', 'job_url', 'notes'] as const) if (draft[name].trim()) body[name] = draft[name].trim();
    // Today means "now"; an earlier day means noon of that day, local time.
    if (draft.applied_on && draft.applied_on !== today()) body.applied_at = new Date(`${draft.applied_on}T12:00:00`).toISOString();
    const created = await post<Application>('/api/applications', body);
    // The application exists now: a refused link is reported, and can be added again on its page.
    const refused: string[] = [];
    for (const l of links.filter((l) => l.target_url.trim() !== '')) {
      await post(`/api/applications/${created.id}/links`, linkBody(l)).catch((err: Error) => refused.push(`${l.link_type}: ${err.message}`));
    }
    if (refused.length > 0) throw new Error(`Saved the application, but not every link: ${refused.join('; ')}. Open the application to add them again.`);
    navigate(`/applications/${created.id}`);
  });
  const submit = (event: Event) => {
    event.preventDefault();
    void save.run();
  };

  return (
    <section aria-labelledby="add-title">
      <h1 id="add-title">Add an application</h1>
      <form class="add" onSubmit={submit}>
        <div class="grid">
          <label>
            Company <span class="req">(required)</span>
            <input type="text" required maxLength={200} autoComplete="organization" {...field('company')} />
          </label>
          <label>
            Role <span class="req">(required)</span>
            <input type="text" required maxLength={200} {...field('job_title')} />
          </label>
          <label>
            Status
            <select {...field('status')}>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {statusInWords(s)}
                </option>
              ))}
            </select>
          </label>
          <label>
            Applied on
            <input type="date" max={today()} {...field('applied_on')} />
          </label>
          <label>
            Contact name
            <input type="text" maxLength={200} {...field('contact_name')} />
          </label>
          <label>
            Contact email
            <input type="email" maxLength={320} {...field('contact_email')} />
          </label>
          <label>
            Job posting address
            <input type="url" maxLength={2048} placeholder="https://…" {...field('job_url')} />
          </label>
        </div>
        <label>
          Notes
          <textarea rows={3} maxLength={10000} {...field('notes')} />
        </label>
        <fieldset>
          <legend>Links you put in the email</legend>
          <p class="muted">Each gets a tracked address that sends people on to the page. Leave an address empty to skip it.</p>
          {links.map((l, i) => (
            <LinkFields key={i} idPrefix={`link-${i}`} value={l} onInput={(v) => setLinks(links.map((x, j) => (j === i ? v : x)))} />
          ))}
          <button type="button" class="secondary" onClick={() => setLinks([...links, emptyLink('other')])}>
            Another link
          </button>
        </fieldset>
        <ErrorLine message={save.error} />
        <button type="submit" disabled={save.busy}>
          {save.busy ? 'Saving…' : 'Save application and links'}
        </button>
      </form>
      <CsvImport />
    </section>
  );
}
