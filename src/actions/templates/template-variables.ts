/**
 * The variables a template may use, computed from the application and its links (pure).
 * Names are used as given: apostrophes, accents, emoji and right-to-left scripts pass through
 * untouched (plain-text mail; the subject is encoded when sent).
 */
import { LINK_DISPLAY_NAMES, type LinkType } from '../../domain.js';

export interface VariableSources {
  company: string;
  jobTitle: string;
  contactName: string | null;
  jobUrl: string | null;
  senderName: string | null;
  /** Link types a person opened, first opening first (human clicks only). */
  openedLinkTypes: readonly LinkType[];
  /** Target of the application's booking link, if it has one. */
  bookingUrl: string | null;
  /** Two concrete meeting times in words (proposeMeetingTimes), for `booking_not_completed`. (Default: none) */
  offeredTimes?: string | null;
}

export const TEMPLATE_VARIABLES = [
  'greeting',
  'contact_name',
  'first_name',
  'company',
  'role',
  'job_url',
  'sender_name',
  'materials',
  'materials_sentence',
  'booking_link',
  'booking_sentence',
  'proposed_times',
  'times_sentence',
] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

/** What the reader may want to look at again, in words ("my portfolio and GitHub profile"). */
const MATERIAL_WORDS: Record<LinkType, string | null> = {
  resume: 'my resume',
  portfolio: 'my portfolio',
  linkedin: 'my LinkedIn profile',
  github: 'my GitHub profile',
  website: 'my website',
  calendly: null,
  other: null,
};

function listInWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function firstNameOf(fullName: string | null): string {
  const trimmed = (fullName ?? '').trim();
  return trimmed === '' ? '' : trimmed.split(/\s+/u)[0];
}

export function templateVariables(s: VariableSources): Record<TemplateVariable, string> {
  const first = firstNameOf(s.contactName);
  const seen = new Set<string>();
  const materials: string[] = [];
  for (const type of s.openedLinkTypes) {
    const words = MATERIAL_WORDS[type];
    if (words && !seen.has(words)) {
      seen.add(words);
      materials.push(words);
    }
  }
  if (materials.length === 0) materials.push('my resume');
  const materialsWords = listInWords(materials);
  const plural = materials.length > 1;
  return {
    greeting: first ? `Hi ${first},` : 'Hello,',
    contact_name: (s.contactName ?? '').trim(),
    first_name: first,
    company: s.company,
    role: s.jobTitle,
    job_url: s.jobUrl ?? '',
    sender_name: (s.senderName ?? '').trim(),
    materials: materialsWords,
    materials_sentence: `In case it's useful, ${materialsWords} ${plural ? 'have' : 'has'} the most recent examples of my work.`,
    booking_link: s.bookingUrl ?? '',
    booking_sentence: s.bookingUrl
      ? `You can pick a time that works for you here: ${s.bookingUrl} — or reply with a couple of times and I'll make one of them work.`
      : "Just reply with a couple of times that work for you and I'll make one of them work.",
    proposed_times: s.offeredTimes ?? '',
    times_sentence: s.offeredTimes
      ? `Would either of these work for a short call: ${s.offeredTimes}?`
      : 'Would a short call in the next few days work for you?',
  };
}
