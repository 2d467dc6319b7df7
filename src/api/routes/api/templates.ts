import { Type } from '@sinclair/typebox';
import { TEMPLATE_KEYS, type TemplateKey } from '../../../actions/templates/default-templates.js';
import { unknownVariables } from '../../../actions/templates/render-template.js';
import { listCurrentTemplates, saveTemplateVersion, type StoredTemplate } from '../../../actions/templates/template-store.js';
import { TEMPLATE_VARIABLES } from '../../../actions/templates/template-variables.js';
import { findTrackingWords } from '../../../actions/templates/tracking-words.js';
import { AppError } from '../../../errors.js';
import { MultiLine, SingleLine, StringEnum, errorResponses } from '../../../validation/common-schemas.js';
import type { AppContext } from '../../app-context.js';
import type { RouteScope } from '../../route-scope.js';

const tags = ['drafts'];

function templateToJson(t: StoredTemplate) {
  return { key: t.key, version: t.version, is_default: t.isDefault, subject: t.subject, body: t.body, updated_at: t.updatedAt?.toISOString() ?? null };
}

/** The editable, versioned templates of follow-up drafts: one per trigger type, plus check_in. */
export async function templateRoutes(app: RouteScope, ctx: AppContext) {
  app.get(
    '/api/templates',
    { schema: { tags, summary: 'The templates in use (built-in ones are version 0) and the variables they may name', response: { 200: Type.Object({}, { additionalProperties: true }), ...errorResponses } } },
    async () => ({ templates: (await listCurrentTemplates(ctx.db)).map(templateToJson), variables: TEMPLATE_VARIABLES }),
  );

  app.put(
    '/api/templates/:key',
    {
      schema: {
        tags,
        summary: 'Save a new version of a template (earlier versions stay); `warnings` names words that would reveal tracking',
        params: Type.Object({ key: StringEnum(TEMPLATE_KEYS) }),
        body: Type.Object(
          { subject: SingleLine({ minLength: 1, maxLength: 300 }), body: MultiLine({ maxLength: 20_000 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({}, { additionalProperties: true, description: 'the new version of the template' }), ...errorResponses, 409: { $ref: 'ErrorBody#' } },
      },
    },
    async (request) => {
      const { key } = request.params;
      const text = request.body;
      if (text.body.trim() === '') throw new AppError('invalid_input', 'body must not be empty');
      for (const field of ['subject', 'body'] as const) {
        const unknown = unknownVariables(text[field]);
        if (unknown.length > 0) {
          throw new AppError('invalid_input', `${field} names unknown variables: ${unknown.join(', ')} (known: ${TEMPLATE_VARIABLES.join(', ')})`);
        }
      }
      const saved = await saveTemplateVersion(ctx.db, key, text);
      return { ...templateToJson(saved), warnings: findTrackingWords(`${text.subject}\n${text.body}`) };
    },
  );
}
