import type { Database } from '../db/index.js';
import { findActiveLinksByTrackingIds } from './link-repository.js';
import { clip, type ClickSettings } from './record-live-click.js';
import { hashIp, isWellFormedTrackingId, judgeClick, parseIp } from './rules/index.js';
import { lookupNetwork, NO_NETWORK } from './networks/lookup-network.js';
import { storeClicks, type ClickToStore } from './store-clicks.js';
import { TIMESTAMP_HINT, parseTimestamp } from '../validation/timestamp.js';

export interface ImportResult {
  imported: number;
  rejected: { index: number; error: string }[];
}

const IMPORT_FIELDS = new Set(['tracking_id', 'clicked_at', 'user_agent', 'ip', 'referrer']);
/** History older than this is almost certainly a unit mistake (seconds for milliseconds…). */
const EARLIEST = Date.UTC(2000, 0, 1);
const LONE_SURROGATE = /\p{Cs}/u;
type Parsed = { ok: true; row: Omit<ClickToStore, 'linkId' | 'applicationId'> & { trackingId: string } } | { ok: false; error: string };

function optionalString(row: Record<string, unknown>, field: string, max: number): string | null | { error: string } {
  const value = row[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return { error: `${field} must be a string` };
  if (value.length > max) return { error: `${field} must be at most ${max} characters` };
  if (value.includes('\u0000')) return { error: `${field} must not contain NUL characters` };
  // An unpaired surrogate cannot become UTF-8: PostgreSQL would refuse the whole batch.
  if (LONE_SURROGATE.test(value)) return { error: `${field} must be valid Unicode (no unpaired surrogates)` };
  return value;
}

function parseRow(raw: unknown, secret: string, now: number): Parsed {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, error: 'row must be an object' };
  const row = raw as Record<string, unknown>;
  for (const key of Object.keys(row)) {
    if (!IMPORT_FIELDS.has(key)) return { ok: false, error: `unknown field '${key}'` };
  }
  if (typeof row.tracking_id !== 'string' || row.tracking_id === '') return { ok: false, error: 'tracking_id is required' };
  // The same shape check as the redirect: garbage (NUL bytes, lone surrogates…) never reaches the database.
  if (!isWellFormedTrackingId(row.tracking_id)) return { ok: false, error: 'tracking_id is not a known tracking id' };
  const clickedAt = typeof row.clicked_at === 'string' ? parseTimestamp(row.clicked_at) : null;
  if (!clickedAt) return { ok: false, error: `clicked_at must be ${TIMESTAMP_HINT}` };
  const at = clickedAt.getTime();
  if (at > now + 60_000) return { ok: false, error: 'clicked_at must not be in the future' };
  if (at < EARLIEST) return { ok: false, error: 'clicked_at must be after 2000-01-01' };
  const userAgent = optionalString(row, 'user_agent', 1024);
  if (userAgent && typeof userAgent === 'object') return { ok: false, error: userAgent.error };
  const referrer = optionalString(row, 'referrer', 2048);
  if (referrer && typeof referrer === 'object') return { ok: false, error: referrer.error };
  let ipHash: string | null = null;
  let network = NO_NETWORK;
  if (row.ip !== undefined && row.ip !== null) {
    const ip = parseIp(row.ip);
    if (!ip) return { ok: false, error: 'ip must be an IPv4 or IPv6 address' };
    network = lookupNetwork(ip);
    ipHash = hashIp(ip, secret);
  }
  // The same judgement as a live click. A live request without a user agent is a bot sign;
  // history from another tracker often has no user agents at all, so that alone says nothing here.
  const { reasons, device } = judgeClick({
    method: null,
    userAgent: userAgent as string | null,
    userAgentExpected: false,
    referrer: referrer as string | null,
    owner: false,
    network: network.listed,
    msAfterSending: null,
    pairedWithin2s: false,
    inBurst: false,
  });
  return {
    ok: true,
    row: {
      trackingId: row.tracking_id,
      clickedAt: new Date(at),
      source: 'import',
      method: null,
      userAgent: clip(userAgent as string | null, 1024),
      referrer: clip(referrer as string | null, 2048),
      ipHash,
      botReasons: reasons,
      networkAsn: network.asn,
      networkLabel: network.listed?.label ?? null,
      networkKind: network.listed?.kind ?? null,
      deviceClass: device?.deviceClass ?? null,
      browserFamily: device?.browserFamily ?? null,
    },
  };
}

/**
 * Imports click history through the same rules and the same event path as live clicks.
 * Each row is judged on its own; the good rows are stored in one transaction, the bad ones
 * come back with their index and what was wrong.
 */
export async function importClicks(db: Database, rows: readonly unknown[], settings: ClickSettings): Promise<ImportResult> {
  const now = Date.now();
  const rejected: ImportResult['rejected'] = [];
  const parsed: { index: number; row: Extract<Parsed, { ok: true }>['row'] }[] = [];
  rows.forEach((raw, index) => {
    const result = parseRow(raw, settings.ipHashSecret, now);
    if (result.ok) parsed.push({ index, row: result.row });
    else rejected.push({ index, error: result.error });
  });
  const links = await findActiveLinksByTrackingIds(db, [...new Set(parsed.map((p) => p.row.trackingId))]);
  const toStore: ClickToStore[] = [];
  for (const { index, row } of parsed) {
    const link = links.get(row.trackingId);
    if (!link) {
      rejected.push({ index, error: 'tracking_id is not a known tracking id' });
      continue;
    }
    const { trackingId: _unused, ...rest } = row;
    toStore.push({ ...rest, linkId: link.link_id, applicationId: link.application_id });
  }
  if (toStore.length > 0) await db.transaction((tx) => storeClicks(tx, toStore, settings.recalcDelayMs));
  rejected.sort((a, b) => a.index - b.index);
  return { imported: toStore.length, rejected };
}
