import { Type } from '@sinclair/typebox';
import { approveDraft } from '../../../../actions/drafts/approve-draft.js';
import { discardDraft } from '../../../../actions/drafts/discard-draft.js';
import { draftMessage } from '../../../../actions/drafts/draft-message.js';
import { getDraftOrThrow, listDrafts } from '../../../../actions/drafts/get-draft.js';
import { requestDraft } from '../../../../actions/drafts/request-draft.js';
import { resolveUncertainSend } from '../../../../actions/drafts/resolve-uncertain-send.js';
import { updateDraft, type DraftChanges } from '../../../../actions/drafts/update-draft.js';
import { TEMPLATE_KEYS } from '../../../../actions/templates/default-templates.js';
import { mailSettingsFrom } from '../../../../actions/mail-settings.js';
import { AppError } from '../../../../errors.js';
import { buildEml } from '../../../../mail/build-eml.js';
import { MultiLine, Nullable, SingleLine, StringEnum, errorResponses } from '../../../../validation/common-schemas.js';
import { UUID_PATTERN } from '../../../../validation/is-uuid.js';
import type { AppContext } from '../../../app-context.js';
import { draftToJson } from '../../../json/drafts-json.js';
import type { RouteScope } from '../../../route-scope.js';

const tags = ['drafts'];
const DraftParams = Type.Object({
  id: Type.String({ pattern: UUID_PATTERN, description: 'UUID of the application' }),
  draftId: Type.String({ pattern: UUID_PATTERN, description: 'UUID of the draft' }),
});
const AppParams = Type.Object({ id: Type.String({ pattern: UUID_PATTERN, description: 'UUID of the application' }) });
const responses = { ...errorResponses, 409: { $ref: 'ErrorBody#' } };
const Open = (description: string) => Type.Object({}, { additionalProperties: true, description });
const ok = (description: string) => ({ 200: Open(description), ...responses });

/** SPEC §8: the follow-up drafts of an application, and their approval, discarding and sending. */
export async function draftRoutes(app: RouteScope, ctx: AppContext) {
  const mail = mailSettingsFrom(ctx.config);
  const show = async (id: string, draftId: string) => draftToJson(await getDraftOrThrow(ctx.db, id, draftId), mail);

  app.get(
    '/api/applications/:id/drafts',
    { schema: { tags, summary: 'Drafts of an application, newest first (withheld ones say why)', params: AppParams, response: ok('{ drafts: [...] }, newest first') } },
    async (request) => {
      const { id } = request.params;
      return { drafts: (await listDrafts(ctx.db, id)).map((d) => draftToJson(d, mail)), smtp_configured: mail.smtpEnabled };
    },
  );

  app.post(
    '/api/applications/:id/drafts',
    {
      schema: {
        tags,
        summary: 'Ask for a follow-up draft now (the cadence limits do not apply to a draft you ask for)',
        params: AppParams,
        body: Type.Object({ template: Type.Optional(StringEnum(TEMPLATE_KEYS)) }, { additionalProperties: false }),
        response: { 201: Open('the new draft'), ...responses },
      },
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const draftId = await requestDraft(ctx.db, id, request.body.template, mail);
      return reply.status(201).send(await show(id, draftId));
    },
  );

  app.get(
    '/api/applications/:id/drafts/:draftId',
    { schema: { tags, summary: 'One draft', params: DraftParams, response: ok('the draft') } },
    async (request) => {
      const { id, draftId } = request.params;
      return show(id, draftId);
    },
  );

  app.patch(
    '/api/applications/:id/drafts/:draftId',
    {
      schema: {
        tags,
        summary: 'Edit a draft before approving it; `warnings` names words that would tell the reader they were tracked',
        params: DraftParams,
        body: Type.Object(
          {
            subject: Type.Optional(SingleLine({ minLength: 1, maxLength: 300 })),
            body: Type.Optional(MultiLine({ maxLength: 20_000 })),
            to_name: Type.Optional(Nullable(SingleLine({ maxLength: 200 }))),
            to_email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 320 }))),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: ok('the draft'),
      },
    },
    async (request) => {
      const { id, draftId } = request.params;
      const body = request.body;
      if (body.body !== undefined && body.body.trim() === '') throw new AppError('invalid_input', 'body must not be empty');
      const { warnings } = await updateDraft(ctx.db, id, draftId, body);
      return { ...(await show(id, draftId)), warnings };
    },
  );

  app.post(
    '/api/applications/:id/drafts/:draftId/approve',
    { schema: { tags, summary: 'Approve a draft: sent by SMTP when configured, else offered as mailto: and .eml', params: DraftParams, response: ok('the draft') } },
    async (request) => {
      const { id, draftId } = request.params;
      await approveDraft(ctx.db, id, draftId, mail);
      return show(id, draftId);
    },
  );

  app.post(
    '/api/applications/:id/drafts/:draftId/discard',
    { schema: { tags, summary: 'Discard a draft (also an approved one whose message has not left yet)', params: DraftParams, response: ok('the draft') } },
    async (request) => {
      const { id, draftId } = request.params;
      await discardDraft(ctx.db, id, draftId);
      return show(id, draftId);
    },
  );

  app.post(
    '/api/applications/:id/drafts/:draftId/resolve',
    {
      schema: {
        tags,
        summary: 'For a send whose outcome is unknown: it arrived (mark_sent), or send it again (send_again; also for a failed one)',
        params: DraftParams,
        body: Type.Object({ decision: StringEnum(['mark_sent', 'send_again']) }, { additionalProperties: false }),
        response: ok('the draft'),
      },
    },
    async (request) => {
      const { id, draftId } = request.params;
      await resolveUncertainSend(ctx.db, id, draftId, request.body.decision);
      return show(id, draftId);
    },
  );

  app.get(
    '/api/applications/:id/drafts/:draftId/eml',
    { schema: { tags, summary: 'The draft as an .eml file to open in a mail program', params: DraftParams, response: { 200: { type: 'string', description: 'the message as .eml (message/rfc822)' }, ...responses } } },
    async (request, reply) => {
      const { id, draftId } = request.params;
      const draft = await getDraftOrThrow(ctx.db, id, draftId);
      if (!draft.to_email) throw new AppError('conflict', "the draft has no recipient yet: set to_email first");
      const eml = await buildEml(draftMessage(draft, ctx.config.mailFrom ?? { name: '', address: '' }));
      return reply
        .header('content-type', 'message/rfc822')
        .header('content-disposition', `attachment; filename="follow-up-${draft.id.slice(0, 8)}.eml"`)
        .send(eml);
    },
  );
}
