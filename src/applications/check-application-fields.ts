import { isValidTimeZone } from '../config.js';
import { invalidInput } from '../errors.js';
import { TIMESTAMP_HINT, parseTimestamp } from '../validation/timestamp.js';
import type { CreateApplicationInput, UpdateApplicationInput } from './application-schemas.js';

/**
 * The checks a JSON schema cannot express. Throws invalid_input naming the field;
 * runs before any write, so a bad request changes nothing.
 */
export function checkApplicationFields(input: CreateApplicationInput | UpdateApplicationInput, now = new Date()): void {
  if (input.applied_at !== undefined) {
    const at = parseTimestamp(input.applied_at)?.getTime();
    if (at === undefined) throw invalidInput(`applied_at must be ${TIMESTAMP_HINT}`);
    if (at > now.getTime()) throw invalidInput('applied_at must not be in the future');
    if (at < Date.UTC(1970, 0, 1)) throw invalidInput('applied_at must be after 1970-01-01');
  }
  if (input.timezone !== undefined && input.timezone !== null && !isValidTimeZone(input.timezone)) {
    throw invalidInput(`timezone must be an IANA time zone such as Europe/Berlin`);
  }
  if (input.job_url !== undefined && input.job_url !== null) {
    let url: URL | undefined;
    try {
      url = new URL(input.job_url);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
      throw invalidInput('job_url must be an absolute http or https URL');
    }
  }
  if ('company' in input && input.company !== undefined && input.company.trim() === '') {
    throw invalidInput('company must not be blank');
  }
  if ('job_title' in input && input.job_title !== undefined && input.job_title.trim() === '') {
    throw invalidInput('job_title must not be blank');
  }
}
