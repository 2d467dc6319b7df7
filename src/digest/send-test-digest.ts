import { appendAudit } from '../audit/index.js';
import type { Database } from '../db/index.js';
import { testSmtpConnection } from '../mail/test-smtp-connection.js';
import { composeDigest, isEmptyDigest } from './digest-content.js';
import { digestMoment } from './digest-clock.js';
import { loadDigestContent } from './prepare-daily-digest.js';

export interface TestDigestSettings {
  timeZone: string;
  digestHour: number;
  /** Set when SMTP_URL and MAIL_FROM are, and there is a recipient. */
  mail: { smtpUrl: string; from: { name: string; address: string }; to: string } | undefined;
}

export interface TestDigestResult {
  local_date: string;
  subject: string;
  body: string;
  /** Nothing due and nothing since the last digest: on such a day the real digest sends nothing. */
  empty: boolean;
  sent: boolean;
  to: string | null;
  server_response: string | null;
  error: string | null;
}

/**
 * Settings → Daily digest → Send now: today's digest as it would read now (due today, and what
 * happened since the last digest made), sent straight to the recipient with "[test]" in its
 * subject, or, without SMTP, only returned to be shown. It reads and never writes the digest's
 * bookkeeping: no daily_digests row (today's real digest still goes out at the hour), no outbox
 * row, no `digest.ready` event, and the next real digest still covers the time since the last
 * real one. Only an audit entry records that a test was sent.
 */
export async function sendTestDigest(db: Database, s: TestDigestSettings, now = new Date()): Promise<TestDigestResult> {
  const moment = digestMoment(now, s.timeZone, s.digestHour);
  const last = await db.query<{ period_end: Date | null }>(`SELECT max(period_end) AS period_end FROM daily_digests`);
  const since = last.rows[0]?.period_end ?? new Date(now.getTime() - 86_400_000);
  const content = await loadDigestContent(db, since, moment.dayEnd, now);
  const empty = isEmptyDigest(content);
  const text = empty
    ? {
        subject: `hirepulse ${moment.localDate}: nothing due today`,
        body: 'Nothing is due today and nothing happened since the last digest. On such a day no digest is sent; this test shows it anyway.',
      }
    : composeDigest(content, moment.localDate, s.timeZone);
  const result: TestDigestResult = { local_date: moment.localDate, subject: text.subject, body: text.body, empty, sent: false, to: s.mail?.to ?? null, server_response: null, error: null };
  if (s.mail) {
    const sent = await testSmtpConnection({ smtpUrl: s.mail.smtpUrl, from: s.mail.from, to: s.mail.to, message: { subject: `[test] ${text.subject}`, text: text.body } });
    result.sent = sent.sent;
    result.server_response = sent.serverResponse;
    result.error = sent.error;
  }
  await appendAudit(db, [
    {
      applicationId: null,
      actor: 'user',
      decision: result.sent ? 'digest_test_sent' : s.mail ? 'digest_test_failed' : 'digest_test_shown',
      rule: 'settings_test',
      ruleVersion: 'v1',
      inputs: { local_date: moment.localDate, time_zone: s.timeZone, since: since.toISOString(), to: result.to },
      outcome: result.sent ? { server_response: result.server_response, empty } : s.mail ? { error: result.error } : { shown: true, empty },
    },
  ]);
  return result;
}
