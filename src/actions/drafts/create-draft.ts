import { randomUUID } from 'node:crypto';
import { appendAudit, type AuditEntry } from '../../audit/index.js';
import type { Queryable } from '../../db/index.js';
import type { MailSettings } from '../mail-settings.js';
import { getCurrentTemplate } from '../templates/template-store.js';
import { renderTemplate } from '../templates/render-template.js';
import { templateVariables } from '../templates/template-variables.js';
import { proposeMeetingTimes } from '../templates/propose-meeting-times.js';
import type { TemplateKey } from '../templates/default-templates.js';
import { loadDraftContext } from './load-draft-context.js';

export const DRAFT_RULE_VERSION = 'v1';

export interface NewDraft {
  applicationId: string;
  triggerId: string | null;
  templateKey: TemplateKey;
  requestedBy: 'rule' | 'person';
  actor: AuditEntry['actor'];
  /** Set when the cadence said no: the row records the decision, and nothing is offered. */
  withheldReason?: string;
}

/**
 * Writes a draft from the template in use, in the caller's transaction, and logs it. Returns
 * null when another process already made the draft of this trigger (the unique index).
 */
export async function createDraft(tx: Queryable, input: NewDraft, mail: MailSettings): Promise<string | null> {
  const ctx = await loadDraftContext(tx, input.applicationId);
  const template = await getCurrentTemplate(tx, input.templateKey);
  const a = ctx.application;
  const rendered = renderTemplate(
    template,
    templateVariables({
      company: a.company,
      jobTitle: a.job_title,
      contactName: a.contact_name,
      jobUrl: a.job_url,
      senderName: mail.from?.name ?? null,
      openedLinkTypes: ctx.openedLinkTypes,
      bookingUrl: ctx.bookingUrl,
      offeredTimes: proposeMeetingTimes(new Date(), mail.timeZone).words,
    }),
  );
  const messageId = `<${randomUUID()}@${mail.messageIdDomain}>`;
  const previous = ctx.sentMessageIds;
  const res = await tx.query<{ id: string }>(
    `INSERT INTO email_drafts (application_id, trigger_id, template_key, template_version, requested_by, status, withheld_reason,
                               to_name, to_email, subject, body, message_id, in_reply_to, references_ids)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (trigger_id) WHERE trigger_id IS NOT NULL DO NOTHING
     RETURNING id`,
    [
      a.id,
      input.triggerId,
      input.templateKey,
      template.version,
      input.requestedBy,
      input.withheldReason ? 'withheld' : 'draft',
      input.withheldReason ?? null,
      a.contact_name,
      a.contact_email,
      rendered.subject,
      rendered.body,
      messageId,
      previous.at(-1) ?? null,
      previous.length > 0 ? previous.join(' ') : null,
    ],
  );
  const id = res.rows[0]?.id ?? null;
  if (!id) return null;
  await appendAudit(tx, [
    {
      applicationId: a.id,
      actor: input.actor,
      decision: input.withheldReason ? 'draft_withheld' : 'draft_created',
      rule: input.requestedBy === 'person' ? 'asked_by_person' : 'send_personalized_email',
      ruleVersion: DRAFT_RULE_VERSION,
      inputs: {
        trigger_id: input.triggerId,
        template: input.templateKey,
        template_version: template.version,
        opened_link_types: ctx.openedLinkTypes,
        earlier_messages: previous.length,
      },
      outcome: { draft_id: id, subject: rendered.subject, to_email: a.contact_email, reason: input.withheldReason ?? null },
    },
  ]);
  return id;
}
