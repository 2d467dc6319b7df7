import type { ApplicationStatus, LinkType } from '../domain.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
const SCANNER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';

export interface Scenario {
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
export const SCENARIOS: Scenario[] = [
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

export function lastSaturdayNoon(now: number): number {
  const d = new Date(now);
  d.setUTCHours(12, 0, 0, 0);
  const back = (d.getUTCDay() + 1) % 7 || 7; // days since the last Saturday, never today
  return d.getTime() - back * DAY;
}

