import { Type } from '@sinclair/typebox';
import { errorResponses } from '../../../validation/common-schemas.js';
import type { AppContext } from '../../app-context.js';
import type { RouteScope } from '../../route-scope.js';

/** The daily digests decided so far, newest first (also the empty days, which sent nothing). */
export async function digestRoutes(app: RouteScope, ctx: AppContext) {
  app.get(
    '/api/digests',
    {
      schema: {
        tags: ['actions'],
        summary: 'Daily digests, newest first, with how each was delivered',
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 14 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({}, { additionalProperties: true }), ...errorResponses },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 14;
      const res = await ctx.db.query<{
        local_date: string; time_zone: string; period_start: Date; period_end: Date; status: string; subject: string | null; body: string | null;
        created_at: Date; delivery_state: string | null; sent_at: Date | null; last_error: string | null;
      }>(
        `SELECT to_char(d.local_date, 'YYYY-MM-DD') AS local_date, d.time_zone, d.period_start, d.period_end, d.status, d.subject, d.body, d.created_at,
                o.state AS delivery_state, o.sent_at, o.last_error
           FROM daily_digests d LEFT JOIN mail_outbox o ON o.digest_date = d.local_date
          ORDER BY d.local_date DESC LIMIT $1`,
        [limit],
      );
      return {
        digests: res.rows.map((r) => ({
          local_date: r.local_date,
          time_zone: r.time_zone,
          status: r.status,
          period_start: r.period_start.toISOString(),
          period_end: r.period_end.toISOString(),
          subject: r.subject,
          body: r.body,
          created_at: r.created_at.toISOString(),
          delivery: r.delivery_state ? { state: r.delivery_state, sent_at: r.sent_at?.toISOString() ?? null, last_error: r.last_error } : null,
        })),
      };
    },
  );
}
