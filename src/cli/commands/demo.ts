import { insertApplication } from '../../applications/application-repository.js';
import type { ApplicationStatus, LinkType } from '../../domain.js';
import { runPrioritization } from '../../prioritization/index.js';
import { createLink, importClicks } from '../../tracking/index.js';
import { withDatabase } from '../cli-support.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
const SCANNER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';

interface Scenario {
  company: string;
  job_title: string;
  contact_name: string;
  status: ApplicationStatus;
  timezone: string;
  appliedAgo: number;
  links: LinkType[];
  /** [link index, ms after applying (or the last Saturday, noon UTC), visitor number, user agent?] */
  clicks: [number, number | 'saturday', number, string?][];
  story: string;
}

/** Sample searches that show every rule: a booking, a keen team, a fast reader, a weekend look, a scanner, silence. */
const SCENARIOS: Scenario[] = [
  { company: 'Northwind Robotics', job_title: 'Senior Backend Engineer', contact_name: 'Priya Raman', status: 'screening', timezone: 'America/New_York', appliedAgo: 3 * DAY, links: ['resume', 'github', 'calendly'], clicks: [[0, 20 * HOUR, 1], [1, 21 * HOUR, 1], [2, 2 * DAY, 1]], story: 'opened the booking page: prepare for the interview' },
  { company: 'Lumen Health', job_title: 'Staff Platform Engineer', contact_name: 'Marco Velli', status: 'applied', timezone: 'Europe/Berlin', appliedAgo: 2 * DAY, links: ['resume', 'portfolio', 'github'], clicks: [[0, 10 * HOUR, 1], [1, 10.2 * HOUR, 1], [2, 10.5 * HOUR, 1], [0, 30 * HOUR, 2], [1, 31 * HOUR, 2], [2, 33 * HOUR, 3]], story: 'three links, twice, by three people: a personalized follow-up' },
  { company: 'Quill & Ink', job_title: 'Product Engineer', contact_name: 'Sam Ortiz', status: 'applied', timezone: 'America/Los_Angeles', appliedAgo: 5 * HOUR, links: ['resume', 'linkedin'], clicks: [[0, 40 * 60_000, 1]], story: 'resume opened 40 minutes after applying: flag for review' },
  { company: 'Fjord Analytics', job_title: 'Data Engineer', contact_name: 'Ingrid Solheim', status: 'applied', timezone: 'Europe/Oslo', appliedAgo: 9 * DAY, links: ['resume', 'portfolio'], clicks: [[1, 'saturday', 1]], story: 'a look at the portfolio on a weekend' },
  { company: 'Bastion Security', job_title: 'Security Engineer', contact_name: 'Lee Park', status: 'applied', timezone: 'UTC', appliedAgo: 1 * DAY, links: ['resume', 'github', 'linkedin'], clicks: [[0, 60_000, 1, SCANNER], [1, 61_000, 2, SCANNER], [2, 61_500, 3, SCANNER]], story: 'a mail scanner opened every link at once: nothing counts' },
  { company: 'Harbor Freight Tech', job_title: 'Frontend Engineer', contact_name: 'Ava Chen', status: 'applied', timezone: 'America/Chicago', appliedAgo: 10 * DAY, links: ['resume', 'portfolio'], clicks: [], story: 'no clicks in 10 days: a short follow-up' },
  { company: 'Cobalt Cloud', job_title: 'Site Reliability Engineer', contact_name: 'Noah Fischer', status: 'applied', timezone: 'Europe/Zurich', appliedAgo: 25 * DAY, links: ['resume', 'linkedin'], clicks: [[0, 3 * DAY, 1]], story: 'interest 3 weeks ago, silent since: a check-in' },
  { company: 'Meridian Bank', job_title: 'Java Developer', contact_name: 'Olivia Grant', status: 'rejected', timezone: 'Europe/London', appliedAgo: 20 * DAY, links: ['resume'], clicks: [[0, 2 * DAY, 1]], story: 'rejected: out of the queue' },
  { company: 'Tidewater Games', job_title: 'Gameplay Programmer', contact_name: 'Kenji Watanabe', status: 'interviewing', timezone: 'Asia/Tokyo', appliedAgo: 12 * DAY, links: ['resume', 'portfolio', 'calendly'], clicks: [[1, 1 * DAY, 1], [2, 2 * DAY, 1], [1, 5 * DAY, 2]], story: 'interviewing, booking opened' },
  { company: 'Evergreen Energy', job_title: 'Full-Stack Engineer', contact_name: 'Maya Lopez', status: 'applied', timezone: 'America/Denver', appliedAgo: 36 * HOUR, links: ['resume', 'website'], clicks: [[0, 20 * HOUR, 1], [1, 26 * HOUR, 1]], story: 'two links opened: in review' },
];

function lastSaturdayNoon(now: number): number {
  const d = new Date(now);
  d.setUTCHours(12, 0, 0, 0);
  const back = (d.getUTCDay() + 1) % 7 || 7; // days since the last Saturday, never today
  return d.getTime() - back * DAY;
}

/** `hirepulse demo`: realistic sample applications, links and click histories, then one full run. */
export async function demoCommand(): Promise<void> {
  await withDatabase(async (db, config) => {
    const now = Date.now();
    let clicks = 0;
    for (const s of SCENARIOS) {
      const appliedAt = now - s.appliedAgo;
      const app = await insertApplication(db, {
        company: s.company,
        job_title: s.job_title,
        contact_name: s.contact_name,
        status: s.status,
        timezone: s.timezone,
        applied_at: new Date(appliedAt).toISOString(),
        notes: `demo data: ${s.story}`,
      });
      const links: { tracking_id: string }[] = [];
      for (const type of s.links) {
        const host = type === 'calendly' ? 'https://calendly.com/you/30min' : `https://example.com/you/${type}`;
        links.push(await createLink(db, app.id, { link_type: type, target_url: host }, config.publicBaseUrl));
      }
      const at = (after: number | 'saturday') => (after === 'saturday' ? lastSaturdayNoon(now) : appliedAt + after);
      const rows = s.clicks
        .filter(([, after]) => at(after) < now && at(after) >= appliedAt)
        .map(([link, after, visitor, ua]) => ({
          tracking_id: links[link].tracking_id,
          clicked_at: new Date(at(after)).toISOString(),
          user_agent: ua ?? BROWSER,
          ip: `198.51.100.${(visitor * 17) % 250}`,
        }));
      const result = await importClicks(db, rows, { ipHashSecret: config.ipHashSecret, recalcDelayMs: 0 });
      clicks += result.imported;
      process.stdout.write(`  ${s.company.padEnd(22)} ${s.status.padEnd(12)} ${s.story}\n`);
    }
    const run = await runPrioritization(db, { defaultTimezone: config.defaultTimezone, actor: 'cli' });
    process.stdout.write(
      `\nloaded ${SCENARIOS.length} applications and ${clicks} clicks; ${run.triggersFired.length} triggers fired, ` +
        `${run.queue.added} in the queue.\nSee it: npx hirepulse queue   (or GET /api/analytics/priority-queue)\n`,
    );
  });
}
