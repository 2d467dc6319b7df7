import { Type } from '@sinclair/typebox';
import { nextDigestAt, digestMoment } from '../../../../digest/digest-clock.js';
import { sendTestDigest } from '../../../../digest/send-test-digest.js';
import { Nullable, errorResponses } from '../../../../validation/common-schemas.js';
import type { AppContext } from '../../../app-context.js';
import type { RouteScope } from '../../../route-scope.js';

/** Settings → Daily digest: GET /api/settings/digest and POST /api/settings/digest/test. */
export async function digestSettingsRoutes(app: RouteScope, ctx: AppContext) {
  const { config } = ctx;
  const mail = config.smtpUrl && config.mailFrom && config.digestTo ? { smtpUrl: config.smtpUrl, from: config.mailFrom, to: config.digestTo } : undefined;

  app.get(
    '/api/settings/digest',
    {
      schema: {
        tags: ['dashboard'],
        summary: 'The digest hour and zone, where it goes, and when the next one is made',
        response: {
          200: Type.Object({
            hour: Type.Integer({ description: 'HIREPULSE_DIGEST_HOUR, local to time_zone' }),
            time_zone: Type.String({ description: 'HIREPULSE_TIMEZONE' }),
            emailed: Type.Boolean({ description: 'SMTP is configured, so the digest is emailed (else kept under /api/digests only)' }),
            to: Nullable(Type.String()),
            today: Type.Object({
              local_date: Type.String(),
              status: Type.String({ description: 'ready (made, something to say), empty (nothing to say, nothing sent), or waiting (not made yet)' }),
            }),
            next_at: Type.String({ description: 'when the next digest is made (UTC); now or in the past: at the worker’s next round' }),
            next_at_local: Type.String({ description: 'the same in time_zone, in words' }),
          }),
          ...errorResponses,
        },
      },
    },
    async () => {
      const now = new Date();
      const today = digestMoment(now, config.defaultTimezone, config.digestHour);
      const row = (await ctx.db.query<{ status: string }>(`SELECT status FROM daily_digests WHERE local_date = $1::date`, [today.localDate])).rows[0];
      const next = nextDigestAt(now, config.defaultTimezone, config.digestHour, row !== undefined);
      const local = new Intl.DateTimeFormat('en-GB', { timeZone: config.defaultTimezone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(next);
      return {
        hour: config.digestHour,
        time_zone: config.defaultTimezone,
        emailed: mail !== undefined,
        to: mail?.to ?? null,
        today: { local_date: today.localDate, status: row?.status ?? 'waiting' },
        next_at: next.toISOString(),
        next_at_local: local,
      };
    },
  );

  app.post(
    '/api/settings/digest/test',
    {
      schema: {
        tags: ['dashboard'],
        summary: "Today's digest as it would read now: emailed with [test] in the subject when SMTP is configured, else only returned; the daily bookkeeping is not touched",
        response: {
          200: Type.Object({
            local_date: Type.String(),
            subject: Type.String(),
            body: Type.String(),
            empty: Type.Boolean({ description: 'nothing to say: on such a day the real digest sends nothing' }),
            sent: Type.Boolean(),
            to: Nullable(Type.String()),
            server_response: Nullable(Type.String()),
            error: Nullable(Type.String()),
            message: Type.String(),
          }),
          ...errorResponses,
        },
      },
    },
    async () => {
      const r = await sendTestDigest(ctx.db, { timeZone: config.defaultTimezone, digestHour: config.digestHour, mail });
      const message = r.sent
        ? `Sent today's digest to ${r.to} with "[test]" in its subject.`
        : mail
          ? `The digest was made but not sent to ${r.to}: ${r.error}`
          : 'Email sending is not configured (SMTP_URL, MAIL_FROM), so here is the digest as it would read now.';
      return { ...r, message };
    },
  );
}
