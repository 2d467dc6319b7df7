/**
 * Runs the labelled corpus (test/fixtures/signal-corpus.json) through a running app, the way a
 * user would: one application per scenario, its links, the clicks through POST /api/clicks/import,
 * then an evaluation, the clicks API and the triggers. Shared by test/tracking/signal-corpus.test.ts
 * and `npm run bench -- signal`. No vitest here: the bench imports it.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

interface CorpusClick {
  link: number;
  at_s: number;
  ua: string;
  ip: string;
  machine: boolean;
  known_miss?: boolean;
}
interface Scenario {
  name: string;
  source: string;
  links: string[];
  expect_triggers?: string[];
  clicks: CorpusClick[];
}
interface Corpus {
  user_agents: Record<string, string>;
  scenarios: Scenario[];
}

export function loadCorpus(): Corpus {
  return JSON.parse(readFileSync(new URL('../fixtures/signal-corpus.json', import.meta.url), 'utf8')) as Corpus;
}

export interface ClickOutcome {
  scenario: string;
  machine: boolean;
  knownMiss: boolean;
  judgedBot: boolean;
  reasons: string[];
}

export interface CorpusReport {
  scenarios: number;
  machineClicks: number;
  machineMarkedBot: number;
  /** machineMarkedBot / machineClicks. */
  recall: number;
  /** Machine clicks that would be bots without the network rules (a reason other than network:…): the baseline. */
  machineMarkedBotWithoutNetwork: number;
  humanClicks: number;
  humansMarkedBot: number;
  /** Triggers fired in scenarios whose clicks are all machines'. */
  machineOnlyTriggers: number;
  /** Those scenarios, by name (which triggers fire also depends on the weekday of the run). */
  machineOnlyTriggerScenarios: string[];
  /** Expected triggers (on people's scenarios) that did not fire. */
  missingHumanTriggers: string[];
  /** Clicks judged against their label that are not listed as known misses. */
  unexpected: ClickOutcome[];
  knownMisses: ClickOutcome[];
  clicks: ClickOutcome[];
}

type Send = (method: 'GET' | 'POST', url: string, body?: unknown) => Promise<{ status: number; json: any }>;

function sender(app: FastifyInstance, apiKey: string): Send {
  return async (method, url, body) => {
    const res = await app.inject({
      method,
      url,
      headers: { 'x-api-key': apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      payload: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.statusCode, json: res.body ? JSON.parse(res.body) : undefined };
  };
}

/** `sentAt`: when every scenario's email went out (default: four days ago, so every click is in the past). */
export async function runSignalCorpus(app: FastifyInstance, apiKey: string, sentAt = Date.now() - 4 * 86_400_000): Promise<CorpusReport> {
  const corpus = loadCorpus();
  const send = sender(app, apiKey);
  const clicks: ClickOutcome[] = [];
  let machineOnlyTriggers = 0;
  const machineOnlyTriggerScenarios: string[] = [];
  const missingHumanTriggers: string[] = [];
  for (const s of corpus.scenarios) {
    const created = await send('POST', '/api/applications', { company: 'Corpus Co', job_title: s.name.slice(0, 200), applied_at: new Date(sentAt).toISOString() });
    if (created.status !== 201) throw new Error(`corpus: application for "${s.name}": ${created.status} ${JSON.stringify(created.json)}`);
    const appId = created.json.id as string;
    const linkIds: string[] = [];
    const trackingIds: string[] = [];
    for (const [i, type] of s.links.entries()) {
      const link = await send('POST', `/api/applications/${appId}/links`, { link_type: type, target_url: `https://example.com/${type}/${i}` });
      if (link.status !== 201) throw new Error(`corpus: link for "${s.name}": ${link.status}`);
      linkIds.push(link.json.id);
      trackingIds.push(link.json.tracking_id);
    }
    const rows = s.clicks.map((c) => ({
      tracking_id: trackingIds[c.link],
      clicked_at: new Date(sentAt + Math.round(c.at_s * 1000)).toISOString(),
      user_agent: corpus.user_agents[c.ua] ?? c.ua,
      ip: c.ip,
    }));
    const imported = await send('POST', '/api/clicks/import', { clicks: rows });
    if (imported.status !== 200 || imported.json.imported !== rows.length) {
      throw new Error(`corpus: import for "${s.name}": ${imported.status} ${JSON.stringify(imported.json)}`);
    }
    const evaluated = await send('POST', '/api/analytics/process-triggers', { application_id: appId });
    if (evaluated.status !== 200) throw new Error(`corpus: evaluation for "${s.name}": ${evaluated.status}`);
    const fired = (evaluated.json.triggers_fired as { type: string; application_id: string }[]).filter((f) => f.application_id === appId).map((f) => f.type);

    const listed = await send('GET', `/api/applications/${appId}/clicks`);
    // Oldest first, as in the corpus; a tie in time keeps the id order (insertion order).
    const judged = (listed.json.clicks as { clicked_at: string; id: string; link_id: string; is_bot: boolean; reasons: string[] }[]).sort(
      (a, b) => Date.parse(a.clicked_at) - Date.parse(b.clicked_at) || Number(a.id) - Number(b.id),
    );
    const order = s.clicks.map((c, i) => ({ c, i, t: sentAt + Math.round(c.at_s * 1000) })).sort((a, b) => a.t - b.t || a.i - b.i);
    order.forEach(({ c }, k) => {
      const j = judged[k];
      clicks.push({ scenario: s.name, machine: c.machine, knownMiss: c.known_miss === true, judgedBot: j.is_bot, reasons: j.reasons });
    });
    if (s.clicks.every((c) => c.machine) && fired.length > 0) {
      machineOnlyTriggers += fired.length;
      machineOnlyTriggerScenarios.push(s.name);
    }
    for (const expected of s.expect_triggers ?? []) if (!fired.includes(expected)) missingHumanTriggers.push(`${s.name}: ${expected}`);
  }
  const machine = clicks.filter((c) => c.machine);
  const human = clicks.filter((c) => !c.machine);
  const wrong = clicks.filter((c) => c.machine !== c.judgedBot);
  return {
    scenarios: corpus.scenarios.length,
    machineClicks: machine.length,
    machineMarkedBot: machine.filter((c) => c.judgedBot).length,
    recall: machine.filter((c) => c.judgedBot).length / machine.length,
    machineMarkedBotWithoutNetwork: machine.filter((c) => c.reasons.some((r) => !r.startsWith('network:'))).length,
    humanClicks: human.length,
    humansMarkedBot: human.filter((c) => c.judgedBot).length,
    machineOnlyTriggers,
    machineOnlyTriggerScenarios,
    missingHumanTriggers,
    unexpected: wrong.filter((c) => !c.knownMiss),
    knownMisses: wrong.filter((c) => c.knownMiss),
    clicks,
  };
}
