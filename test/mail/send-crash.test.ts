/**
 * Exactly once across crashes (SPEC §8): the real service is killed with SIGKILL
 * - between claiming a message and handing it to the server (the server holds the login):
 *   after a restart it is sent once;
 * - between handing it over and recording the answer (the server has the whole message and
 *   never replies): after a restart it is not sent again but marked `unknown` for the person,
 *   who confirms it. Never two messages in the mailbox. PGlite and PostgreSQL.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ENGINES, type Engine } from '../helpers/databases.js';
import { prepareTarget, spawnService, stopService, zoneWithLocalHourBetween, type SpawnedService } from '../helpers/spawn-service.js';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { waitFor } from '../helpers/workflow.js';

const MAIL_FROM = 'Ada Lovelace <ada@example.com>';

for (const engine of ENGINES) {
  describe(`mail survives SIGKILL [${engine}]`, () => {
    const running: SpawnedService[] = [];
    const cleanups: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const s of running) await stopService(s);
      for (const c of cleanups) await c();
    });

    async function setUp(engine: Engine, behaviour: 'hold-auth' | 'hold-after-data') {
      const target = await prepareTarget(engine);
      cleanups.push(target.cleanup);
      const smtp = await startTestSmtpServer({ behaviour });
      cleanups.push(() => smtp.close());
      const env = {
        ...target.env,
        SMTP_URL: smtp.url,
        MAIL_FROM,
        HIREPULSE_ACTIONS_POLL_MS: '100',
        HIREPULSE_MAIL_LEASE_MS: '1500',
        // The digest hour is hours away in this zone: only the follow-up goes out.
        HIREPULSE_TIMEZONE: zoneWithLocalHourBetween(1, 19),
        HIREPULSE_DIGEST_HOUR: '23',
      };
      const first = await spawnService(env);
      running.push(first);
      const created = await first.call('POST', '/api/applications', { company: 'Initech', job_title: 'Backend Engineer', contact_name: 'Bill Lumbergh', contact_email: 'bill@initech.example' });
      expect(created.status, created.text).toBe(201);
      const id = created.json.id as string;
      const draft = await first.call('POST', `/api/applications/${id}/drafts`, {});
      expect(draft.status, draft.text).toBe(201);
      const url = `/api/applications/${id}/drafts/${draft.json.id}`;
      const holding = smtp.holding();
      expect((await first.call('POST', `${url}/approve`)).status).toBe(200);
      await holding;
      first.child.kill('SIGKILL');
      await first.exited;
      return { target, smtp, env, id, url, messageId: draft.json.message_id as string };
    }

    const outboxOf = (db: { query: Function }, id: string) =>
      (db.query as any)(`SELECT o.state, o.attempts FROM mail_outbox o JOIN email_drafts d ON d.id = o.draft_id WHERE d.application_id = $1`, [id]).then(
        (r: { rows: unknown[] }) => r.rows,
      );

    it('killed between claim and hand-over: sent exactly once after the restart', async () => {
      const { target, smtp, env, id, url } = await setUp(engine, 'hold-auth');
      expect(await target.inspect((db) => outboxOf(db, id))).toEqual([{ state: 'claimed', attempts: 1 }]);
      expect(smtp.received).toHaveLength(0);

      smtp.behaviour = 'accept';
      const second = await spawnService(env);
      running.push(second);
      const { value } = await waitFor(async () => {
        const d = (await second.call('GET', url)).json;
        return d.status === 'sent' ? d : undefined;
      }, 20_000, 100);
      expect(value.delivery).toMatchObject({ state: 'sent', attempts: 2 });
      await new Promise((r) => setTimeout(r, 500));
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0].to).toEqual(['bill@initech.example']);
      const trail = (await second.call('GET', `/api/audit?application_id=${id}`)).json.entries.map((e: { decision: string }) => e.decision).reverse();
      expect(trail).toEqual(['draft_created', 'draft_approved', 'email_sent']);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    });

    it('killed between hand-over and the answer: never resent; marked unknown for the person, who confirms it', async () => {
      const { target, smtp, env, id, url, messageId } = await setUp(engine, 'hold-after-data');
      expect(smtp.received).toHaveLength(1); // the server has it; the sender never heard back
      expect(await target.inspect((db) => outboxOf(db, id))).toEqual([{ state: 'submitting', attempts: 1 }]);

      smtp.behaviour = 'accept';
      const second = await spawnService(env);
      running.push(second);
      const { value } = await waitFor(async () => {
        const d = (await second.call('GET', url)).json;
        return d.status === 'unknown' ? d : undefined;
      }, 20_000, 100);
      expect(value.delivery).toMatchObject({ state: 'unknown', attempts: 1 });
      await new Promise((r) => setTimeout(r, 1000)); // more rounds of the sender
      expect(smtp.received).toHaveLength(1);
      const trail = (await second.call('GET', `/api/audit?application_id=${id}`)).json.entries;
      expect(trail[0]).toMatchObject({ decision: 'email_outcome_unknown', actor: 'worker', inputs: { message_id: messageId } });

      const confirmed = await second.call('POST', `${url}/resolve`, { decision: 'mark_sent' });
      expect(confirmed.status, confirmed.text).toBe(200);
      expect(confirmed.json).toMatchObject({ status: 'sent', delivery: { state: 'sent' } });
      expect(smtp.received).toHaveLength(1);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    });
  });
}
