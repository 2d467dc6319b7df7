import { insertApplication } from '../applications/application-repository.js';
import type { Database } from '../db/index.js';
import { runPrioritization } from '../workflow/index.js';
import { createLink, importClicks } from '../tracking/index.js';
import { BROWSER, SCENARIOS, lastSaturdayNoon } from './sample-scenarios.js';

export interface SampleDataSettings {
  publicBaseUrl: string;
  ipHashSecret: string;
  defaultTimezone: string;
  actor: 'cli' | 'api';
}

export interface SampleDataResult {
  applications: { id: string; company: string; status: string; story: string }[];
  clicks: number;
  triggersFired: number;
  queued: number;
}

/**
 * Realistic sample searches (see sample-scenarios.ts), their links and click histories, then one
 * full prioritization run, so the queue and every page show something at once. Shared by
 * `hirepulse demo` and `POST /api/demo`. Clicks go through the import path: same rules as live.
 */
export async function loadSampleData(db: Database, settings: SampleDataSettings, now = Date.now()): Promise<SampleDataResult> {
  const applications: SampleDataResult['applications'] = [];
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
      const target = type === 'calendly' ? 'https://calendly.com/you/30min' : `https://example.com/you/${type}`;
      links.push(await createLink(db, app.id, { link_type: type, target_url: target }, settings.publicBaseUrl));
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
    const result = await importClicks(db, rows, { ipHashSecret: settings.ipHashSecret, recalcDelayMs: 0 });
    clicks += result.imported;
    applications.push({ id: app.id, company: s.company, status: s.status, story: s.story });
  }
  const run = await runPrioritization(db, { defaultTimezone: settings.defaultTimezone, actor: settings.actor });
  return { applications, clicks, triggersFired: run.triggersFired.length, queued: run.queue.added };
}
