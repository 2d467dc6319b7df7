import type { Database } from '../db/index.js';
import { invalidInput, notFound } from '../errors.js';
import { markForRecalculation } from '../recalc/mark-for-recalculation.js';
import { checkSentAt } from './create-link.js';
import { rejudgeClicksOfLink } from './judge-listed-networks.js';
import { setLinkDisabled, setLinkSentAt, type LinkRow } from './link-repository.js';
import type { UpdateLinkInput } from './link-schemas.js';

/**
 * PATCH /api/links/:id: revoke or restore a link, and/or set when its email went out. A new
 * sent_at re-judges the link's clicks from cloud networks (SPEC §10) and, when a verdict
 * changed, marks the application for recalculation, all in one transaction. Revoking or
 * restoring marks it too: the full run skips an application until something it is evaluated
 * from changes (docs/workflow.md §6), and a link's state is part of the application's data.
 */
export async function updateLink(db: Database, linkId: string, input: UpdateLinkInput, recalcDelayMs: number): Promise<LinkRow> {
  if (input.disabled === undefined && input.sent_at === undefined) {
    throw invalidInput('disabled is required (or sent_at, to set when the email went out)');
  }
  const sentAt = input.sent_at === undefined ? undefined : checkSentAt(input.sent_at);
  return db.transaction(async (tx) => {
    let link: LinkRow | null = null;
    if (input.disabled !== undefined) {
      link = await setLinkDisabled(tx, linkId, input.disabled);
      if (link) await markForRecalculation(tx, [link.application_id], recalcDelayMs);
    }
    if (sentAt !== undefined) {
      link = await setLinkSentAt(tx, linkId, sentAt);
      if (link && (await rejudgeClicksOfLink(tx, link.id, link.application_id))) {
        await markForRecalculation(tx, [link.application_id], recalcDelayMs);
      }
    }
    if (!link) throw notFound('link');
    return link;
  });
}
