import { Type, type Static } from '@sinclair/typebox';
import { LINK_TYPES } from '../domain.js';
import { Nullable, SingleLine, StringEnum, Timestamp } from '../validation/common-schemas.js';

const SentAt = Type.String({
  format: 'date-time',
  description: 'when the email carrying this link went out (SPEC §10); defaults to the application\'s applied_at; never in the future',
});

export const CreateLinkBody = Type.Object(
  {
    link_type: StringEnum(LINK_TYPES, {
      description: 'resume, portfolio, linkedin, github, calendly, website, other',
    }),
    target_url: Type.String({ maxLength: 2048, description: 'absolute http(s) URL the tracking link redirects to' }),
    label: Type.Optional(Nullable(SingleLine({ maxLength: 200 }))),
    sent_at: Type.Optional(Nullable(SentAt)),
  },
  { additionalProperties: false },
);
export type CreateLinkInput = Static<typeof CreateLinkBody>;

export const UpdateLinkBody = Type.Object(
  {
    disabled: Type.Optional(Type.Boolean({ description: 'true revokes the link (404, nothing recorded), false restores it' })),
    sent_at: Type.Optional(Nullable(SentAt)),
  },
  { additionalProperties: false },
);
export type UpdateLinkInput = Static<typeof UpdateLinkBody>;

export const LinkSchema = Type.Object(
  {
    id: Type.String(),
    application_id: Type.String(),
    tracking_id: Type.String(),
    tracking_url: Type.String(),
    link_type: Type.String(),
    label: Nullable(Type.String()),
    target_url: Type.String(),
    is_calendly: Type.Boolean(),
    sent_at: Nullable(Timestamp),
    disabled: Type.Boolean({ description: 'a disabled link answers 404 and records nothing; its old clicks stay' }),
    disabled_at: Nullable(Timestamp),
    created_at: Timestamp,
  },
  { $id: 'Link' },
);

export const ImportClicksBody = Type.Object(
  {
    clicks: Type.Array(Type.Unknown(), {
      maxItems: 10_000,
      description: 'rows {tracking_id, clicked_at, user_agent?, ip?, referrer?}; each is checked on its own',
    }),
  },
  { additionalProperties: false },
);
