/**
 * The built-in message templates (version 0), one per trigger type plus `check_in` for a
 * follow-up the person asks for. Written as a person would write: they name the role, the
 * company, the contact and the material the reader may want, and never say or hint that
 * anything was tracked (test/actions/templates.test.ts scans every rendering for that).
 */
import { TRIGGER_TYPES, type TriggerType } from '../../workflow/rules/index.js';

export const TEMPLATE_KEYS = [...TRIGGER_TYPES, 'check_in'] as const;
export type TemplateKey = TriggerType | 'check_in';

export interface TemplateText {
  subject: string;
  body: string;
}

export const DEFAULT_TEMPLATES: Readonly<Record<TemplateKey, TemplateText>> = Object.freeze({
  high_engagement_followup: {
    subject: 'Following up on the {{role}} role at {{company}}',
    body: `{{greeting}}

I hope your week is going well. I wanted to follow up on my application for the {{role}} position at {{company}}. I'm still very interested, and I'd be glad to talk through the work I've done that fits what your team is building.

{{materials_sentence}}

Would you have twenty minutes in the next few days for a short conversation?

Best regards,
{{sender_name}}`,
  },
  interview_preparation: {
    subject: 'Finding a time to talk about the {{role}} role',
    body: `{{greeting}}

Thank you for considering my application for the {{role}} position at {{company}}. I'd be glad to talk whenever it suits you.

{{booking_sentence}}

I look forward to speaking with you.

Best regards,
{{sender_name}}`,
  },
  urgent_attention: {
    subject: 'My application for the {{role}} role at {{company}}',
    body: `{{greeting}}

Thank you for considering my application for the {{role}} position at {{company}}. I wanted to say briefly why I'm excited about it: the role is a close match for what I've been doing, and I'd love to bring that experience to your team.

{{materials_sentence}}

I'm happy to answer any questions, and I'm available for a call this week.

Best regards,
{{sender_name}}`,
  },
  weekend_interest: {
    subject: 'A short note about the {{role}} role at {{company}}',
    body: `{{greeting}}

I wanted to add a short note to my application for the {{role}} position at {{company}}. If it would help to see more of my work before a conversation, I'd be happy to send examples or walk you through a recent project.

{{materials_sentence}}

Thank you for your time.

Best regards,
{{sender_name}}`,
  },
  booking_not_completed: {
    subject: 'Two times to talk about the {{role}} role at {{company}}',
    body: `{{greeting}}

I'd love to find a time to talk about the {{role}} position at {{company}}, and I'd like to make it easy. {{times_sentence}}

If neither suits you, just reply with a time that does and I'll make it work.

Best regards,
{{sender_name}}`,
  },
  check_in: {
    subject: 'Checking in on my application for {{role}}',
    body: `{{greeting}}

I hope you're well. I wanted to check in on my application for the {{role}} position at {{company}}. I'm still very interested in the role and would welcome the chance to talk.

Please let me know if there is anything else I can send you.

Best regards,
{{sender_name}}`,
  },
});

export function isTemplateKey(value: unknown): value is TemplateKey {
  return typeof value === 'string' && (TEMPLATE_KEYS as readonly string[]).includes(value);
}

/** The template a draft for this trigger type uses (a person's own request: check_in). */
export function templateKeyFor(triggerType: string | null | undefined): TemplateKey {
  return isTemplateKey(triggerType) ? triggerType : 'check_in';
}
