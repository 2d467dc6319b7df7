/**
 * The flags of SPEC §8: `flag_for_review` and `note_personal_interest` are not tasks with a
 * message to write but marks on the application. A flag is up while its trigger is open, and
 * goes down when the trigger's queue item is processed (or the trigger is otherwise closed).
 */
import { ALL_TRIGGER_RULES, type TriggerType } from './trigger-rules.js';

export type FlagKind = 'review' | 'personal_interest';

export interface Flag {
  kind: FlagKind;
  triggerType: TriggerType;
  label: string;
}

const FLAG_OF_ACTION: Partial<Record<string, { kind: FlagKind; label: string }>> = {
  flag_for_review: { kind: 'review', label: 'Review soon: read shortly after you applied' },
  note_personal_interest: { kind: 'personal_interest', label: 'Personal interest: read outside working days' },
};

/** The flags raised by these open trigger types, in the rules' order. */
export function flagsOf(openTriggerTypes: readonly string[]): Flag[] {
  const flags: Flag[] = [];
  for (const rule of ALL_TRIGGER_RULES) {
    const flag = FLAG_OF_ACTION[rule.action];
    if (flag && openTriggerTypes.includes(rule.type)) flags.push({ ...flag, triggerType: rule.type });
  }
  return flags;
}

/** Trigger types whose action is a flag (for SQL filters). */
export const FLAG_TRIGGER_TYPES: readonly TriggerType[] = ALL_TRIGGER_RULES.filter((r) => FLAG_OF_ACTION[r.action]).map((r) => r.type);
