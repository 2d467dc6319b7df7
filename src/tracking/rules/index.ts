/** Pure tracking rules: no database, no network, no Fastify. */
export {
  classifyUserAgent,
  classifyReferrer,
  EXTRA_BOT_UA_PATTERNS,
  MAIL_GATEWAY_REFERRER_HOSTS,
  MISSING_USER_AGENT_REASON,
  HEAD_REQUEST_REASON,
  type ExtraBotPattern,
} from './bot-user-agent.js';
export {
  findScannerBursts,
  BURST_REASON,
  DEFAULT_BURST_WINDOW_MS,
  DEFAULT_BURST_MIN_DISTINCT_LINKS,
  CLICK_SETTLE_MS,
  type BurstClick,
} from './scanner-bursts.js';
export { validateTargetUrl, MAX_TARGET_URL_LENGTH, type TargetUrlResult } from './target-url.js';
export { BOOKING_HOSTS, BOOKING_URL_PREFIXES, isBookingLink } from './booking-hosts.js';
export { newTrackingId, isWellFormedTrackingId } from './tracking-id.js';
export { hashIp, parseIp } from './ip-hash.js';
export {
  judgeClick,
  verdictOf,
  isMachineNetwork,
  networkReason,
  OWNER_REASON,
  CLOUD_AFTER_SENDING_MS,
  CLOUD_PAIR_WINDOW_MS,
  type ClickFacts,
  type ClickNetwork,
  type Verdict,
  type VerdictKind,
} from './judge-click.js';
export { parseDevice, type Device, type DeviceClass } from './parse-device.js';
