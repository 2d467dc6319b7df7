import { Type } from '@sinclair/typebox';
import { appendAudit } from '../../../../audit/index.js';
import { AppError } from '../../../../errors.js';
import { SMTP_TEST_MESSAGE, testSmtpConnection } from '../../../../mail/test-smtp-connection.js';
import { Nullable, errorResponses } from '../../../../validation/common-schemas.js';
import type { AppContext } from '../../../app-context.js';
import type { RouteScope } from '../../../route-scope.js';
import { smtpServerInWords } from '../settings.js';

/** Settings → Email sending → Test: POST /api/settings/smtp/test. */
export async function smtpSettingsRoutes(app: RouteScope, ctx: AppContext) {
  app.post(
    '/api/settings/smtp/test',
    {
      schema: {
        tags: ['dashboard'],
        summary: 'Connect and log in to the SMTP server (and, with send: true, send a short test message to the digest recipient); 409 smtp_not_configured without SMTP_URL',
        body: Type.Object(
          { send: Type.Optional(Type.Boolean({ description: 'also send a short message to HIREPULSE_DIGEST_TO (default: MAIL_FROM). (Default: false)' })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            ok: Type.Boolean({ description: 'the connection, login and (when asked) the message went through' }),
            verified: Type.Boolean({ description: 'connected and logged in' }),
            sent: Type.Boolean(),
            server: Type.String({ description: 'the server in words, never the password' }),
            from: Type.String(),
            to: Type.String(),
            server_response: Nullable(Type.String()),
            error: Nullable(Type.String({ description: "the server's reply or the network error, in words" })),
            message: Type.String({ description: 'the outcome in one sentence' }),
          }),
          ...errorResponses,
          409: { $ref: 'ErrorBody#' },
        },
      },
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    },
    async (request) => {
      const { smtpUrl, mailFrom, digestTo } = ctx.config;
      if (!smtpUrl || !mailFrom || !digestTo) {
        throw new AppError('smtp_not_configured', 'email sending is not configured: set SMTP_URL (smtp[s]://user:pass@host:port) and MAIL_FROM, then restart the service');
      }
      const send = request.body.send === true;
      const result = await testSmtpConnection({ smtpUrl, from: mailFrom, to: digestTo, message: send ? SMTP_TEST_MESSAGE : undefined });
      const server = smtpServerInWords(smtpUrl);
      const message = result.ok
        ? result.sent
          ? `Connected to ${server}, logged in, and sent a test message to ${digestTo}.`
          : `Connected to ${server} and logged in.`
        : result.verified
          ? `Connected and logged in, but the test message to ${digestTo} was not sent: ${result.error}`
          : `Could not connect or log in (${server}): ${result.error}`;
      if (send) {
        await appendAudit(ctx.db, [
          {
            applicationId: null,
            actor: 'user',
            decision: result.sent ? 'smtp_test_sent' : 'smtp_test_failed',
            rule: 'settings_test',
            ruleVersion: 'v1',
            inputs: { to: digestTo },
            outcome: result.sent ? { server_response: result.serverResponse } : { error: result.error },
          },
        ]);
      }
      return { ok: result.ok, verified: result.verified, sent: result.sent, server, from: mailFrom.address, to: digestTo, server_response: result.serverResponse, error: result.error, message };
    },
  );
}
