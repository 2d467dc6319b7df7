/** The interview pack of `prepare_interview_materials` (SPEC §8), and its Markdown and HTML (pure). */
import { getZoneClock } from '../../analytics/scoring/zone-clock.js';

export interface PackInput {
  company: string;
  jobTitle: string;
  status: string;
  contactName: string | null;
  contactEmail: string | null;
  jobUrl: string | null;
  notes: string | null;
  timeZone: string;
  appliedAt: Date;
  /** Human clicks, oldest first. */
  opened: { link: string; label: string | null; at: Date }[];
  events: { at: Date; what: string }[];
  questions: string[];
  now: Date;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** `Tue 2026-03-10 14:05` in the zone, by the scoring's zone clock (the same local days as the scores). */
export function localStamp(at: Date, zone: string): string {
  const clock = getZoneClock(zone);
  const local = new Date(at.getTime() + clock.offsetAt(at.getTime()));
  return `${WEEKDAYS[local.getUTCDay()]} ${local.toISOString().slice(0, 16).replace('T', ' ')}`;
}

function checklist(p: PackInput): string[] {
  const items = [
    p.jobUrl ? `Re-read the posting: ${p.jobUrl}` : 'Find the posting again and re-read it',
    'Have the resume you sent open during the call',
  ];
  const links = new Set(p.opened.map((o) => o.link));
  if (links.has('Portfolio') || links.has('GitHub') || links.has('Website')) items.push('Prepare two short stories about the projects in your portfolio and GitHub');
  items.push(`Check the meeting time in ${p.timeZone} and in your own zone`);
  if (p.contactName) items.push(`Look up ${p.contactName} and their role before the call`);
  items.push('Write down the three questions you most want answered', 'Send a thank-you note within a day of the conversation');
  return items;
}

export interface PackSection {
  title: string;
  lines: string[];
  ordered?: boolean;
  checklist?: boolean;
}

export function packSections(p: PackInput): { title: string; sections: PackSection[] } {
  const zone = p.timeZone;
  const timeline = [{ at: p.appliedAt, what: 'You applied' }, ...p.events].sort((a, b) => a.at.getTime() - b.at.getTime());
  return {
    title: `Interview pack: ${p.jobTitle} at ${p.company}`,
    sections: [
      {
        title: 'The role',
        lines: [
          `Company: ${p.company}`,
          `Role: ${p.jobTitle}`,
          `Status: ${p.status}`,
          `Contact: ${p.contactName ?? 'not recorded'}${p.contactEmail ? ` <${p.contactEmail}>` : ''}`,
          ...(p.jobUrl ? [`Posting: ${p.jobUrl}`] : []),
          `Times below are in ${zone}.`,
        ],
      },
      {
        title: 'What was opened, in order',
        ordered: true,
        lines:
          p.opened.length > 0
            ? p.opened.map((o) => `${o.link}${o.label ? ` (${o.label})` : ''}, ${localStamp(o.at, zone)}`)
            : ['Nothing yet.'],
      },
      { title: 'Timeline', lines: timeline.map((e) => `${localStamp(e.at, zone)}: ${e.what}`) },
      { title: 'Notes', lines: p.notes?.trim() ? p.notes.trim().split(/\r?\n/) : ['No notes yet.'] },
      { title: 'Questions to ask', lines: p.questions },
      { title: 'Checklist', lines: checklist(p), checklist: true },
    ],
  };
}

/** Markdown special characters in free text are escaped so a company name cannot change the layout. */
const md = (s: string) => s.replace(/([\\`*_{}[\]<>#|])/g, '\\$1');

export function packToMarkdown(p: PackInput): string {
  const { title, sections } = packSections(p);
  const out = [`# ${md(title)}`, '', `_Prepared ${localStamp(p.now, p.timeZone)} (${p.timeZone})_`, ''];
  for (const s of sections) {
    out.push(`## ${s.title}`, '');
    s.lines.forEach((line, i) => out.push(s.checklist ? `- [ ] ${md(line)}` : s.ordered ? `${i + 1}. ${md(line)}` : `- ${md(line)}`));
    out.push('');
  }
  return out.join('\n');
}

const html = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function packToHtml(p: PackInput): string {
  const { title, sections } = packSections(p);
  const body = sections
    .map((s) => {
      const tag = s.ordered ? 'ol' : 'ul';
      const items = s.lines.map((l) => (s.checklist ? `<li><label><input type="checkbox"> ${html(l)}</label></li>` : `<li>${html(l)}</li>`)).join('\n');
      return `<section>\n<h2>${html(s.title)}</h2>\n<${tag}>\n${items}\n</${tag}>\n</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}li{margin:.25rem 0}</style>
</head>
<body>
<main>
<h1>${html(title)}</h1>
<p><em>Prepared ${html(localStamp(p.now, p.timeZone))} (${html(p.timeZone)})</em></p>
${body}
</main>
</body>
</html>
`;
}
