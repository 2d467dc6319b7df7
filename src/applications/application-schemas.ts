import { Type, type Static } from '@sinclair/typebox';
import { APPLICATION_STATUSES } from '../domain.js';
import { MultiLine, Nullable, SingleLine, StringEnum, Timestamp } from '../validation/common-schemas.js';

const Status = StringEnum(APPLICATION_STATUSES, {
  description: 'draft, applied (default), screening, interviewing, offer, accepted, rejected, withdrawn, ghosted',
});

const fields = {
  company: SingleLine({ minLength: 1, maxLength: 200, examples: ['Acme Corp'] }),
  job_title: SingleLine({ minLength: 1, maxLength: 200, examples: ['Staff Engineer'] }),
  status: Status,
  applied_at: Type.String({ format: 'date-time', description: 'when you applied; defaults to now; never in the future' }),
  contact_name: Nullable(SingleLine({ maxLength: 200 })),
  contact_email: Nullable(Type.String({ format: 'email', maxLength: 320 })),
  job_url: Nullable(SingleLine({ maxLength: 2048, description: 'absolute http(s) URL of the posting' })),
  timezone: Nullable(SingleLine({ maxLength: 64, description: 'IANA zone of the company, e.g. Europe/Berlin' })),
  notes: Nullable(MultiLine({ maxLength: 10_000 })),
};

export const CreateApplicationBody = Type.Object(
  {
    company: fields.company,
    job_title: fields.job_title,
    status: Type.Optional(fields.status),
    applied_at: Type.Optional(fields.applied_at),
    contact_name: Type.Optional(fields.contact_name),
    contact_email: Type.Optional(fields.contact_email),
    job_url: Type.Optional(fields.job_url),
    timezone: Type.Optional(fields.timezone),
    notes: Type.Optional(fields.notes),
  },
  { additionalProperties: false },
);
export type CreateApplicationInput = Static<typeof CreateApplicationBody>;

export const UpdateApplicationBody = Type.Partial(
  Type.Object({
    company: fields.company,
    job_title: fields.job_title,
    status: fields.status,
    applied_at: fields.applied_at,
    contact_name: fields.contact_name,
    contact_email: fields.contact_email,
    job_url: fields.job_url,
    timezone: fields.timezone,
    notes: fields.notes,
  }),
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateApplicationInput = Static<typeof UpdateApplicationBody>;

export const ListApplicationsQuery = Type.Object(
  {
    status: Type.Optional(Status),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'next_cursor of the previous page' })),
  },
  { additionalProperties: false },
);
export type ListApplicationsInput = Static<typeof ListApplicationsQuery>;

export const ScoresSchema = Nullable(
  Type.Object({
    engagement_score: Type.Integer(),
    intent_score: Type.Integer(),
    health_score: Type.Integer(),
    predicted_outcome: Type.String(),
    outcome_probability: Type.Number(),
    computed_at: Timestamp,
  }),
);

export const ApplicationSchema = Type.Object(
  {
    id: Type.String(),
    company: Type.String(),
    job_title: Type.String(),
    status: Type.String(),
    applied_at: Timestamp,
    contact_name: Nullable(Type.String()),
    contact_email: Nullable(Type.String()),
    job_url: Nullable(Type.String()),
    timezone: Nullable(Type.String()),
    notes: Nullable(Type.String()),
    created_at: Timestamp,
    updated_at: Timestamp,
    scores: ScoresSchema,
  },
  { $id: 'Application' },
);
