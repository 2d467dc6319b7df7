import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, linkSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import ipaddr from 'ipaddr.js';

/**
 * The only reader of process.env. Everything is validated once at start; a bad value
 * stops start-up with one line that names the variable.
 */
export interface Config {
  /** HTTP port. (Default: 5000) */
  port: number;
  /** Interface to listen on. (Default: 127.0.0.1) */
  host: string;
  /** postgres://… When unset, the embedded PGlite under dataDir is used. */
  databaseUrl: string | undefined;
  /** Where PGlite data and generated secrets live. (Default: ./data) */
  dataDir: string;
  /** Key for everything under /api. (Default: generated once, kept in dataDir) */
  apiKey: string;
  apiKeyGenerated: boolean;
  /** Prefix of tracking URLs, no trailing slash. (Default: http://localhost:$PORT) */
  publicBaseUrl: string;
  /** IANA zone for applications without one. (Default: UTC) */
  defaultTimezone: string;
  /** Key of the IP hash. (Default: generated once, kept in dataDir) */
  ipHashSecret: string;
  /** IP_HASH_SECRET was not set: the stored secret (database, seeded from dataDir) is used. */
  ipHashSecretGenerated: boolean;
  /** Addresses/CIDRs of reverse proxies whose X-Forwarded-For is believed. (Default: none) */
  trustProxy: string[];
  /** pino level. (Default: info) */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * What this process does (HIREPULSE_ROLE or `serve --role`): `all` serves HTTP and runs the
   * worker; `api` serves HTTP only; `worker` runs the worker and answers /healthz and /metrics
   * only. api and worker need PostgreSQL. (Default: all; HIREPULSE_WORKER=false means api)
   */
  role: 'all' | 'api' | 'worker';
  /** Run the background recalculation worker in this process (role all or worker). */
  workerEnabled: boolean;
  /** Wait after a click before recalculating, so a scanner burst shows itself. (Default: 2500 ms) */
  recalcDelayMs: number;
  /** PostgreSQL pool size. (Default: 10) */
  poolSize: number;
  /** How often a full prioritization run refreshes time-dependent scores. (Default: 600000 ms; 0 = never) */
  fullRunIntervalMs: number;
  /** Applications per recalculation batch of the worker (0 = the engine's default: 500 on PostgreSQL, 100 on PGlite). */
  recalcBatchSize: number;
  /** Requests per minute per client address under /api, wrong keys included; /t/ is never limited. (Default: 600; 0 = off) */
  apiRateLimitPerMinute: number;
  /** Wrong API keys one address may send per 15 minutes; past it, 429 + Retry-After until the window ends. (Default: 20; 0 = off) */
  wrongKeyLimit: number;
  /** API requests one process works on at once; more get 503 + Retry-After (tracked links are never refused). (Default: 64; 0 = no bound) */
  apiMaxInFlight: number;
  /** Days after which a click loses its user agent, referrer and address hash (see docs/operations.md). (Default: 0 = kept) */
  clickRetentionDays: number;
  /** Memory settings of the embedded PGlite over its defaults, e.g. { shared_buffers: '64MB' }. (Default: none) */
  pgliteSettings: Readonly<Record<string, string>>;
  /** Deliver webhooks to private, loopback, link-local and metadata addresses (tests, a receiver on the same machine). (Default: false) */
  webhookAllowPrivate: boolean;
  /** Time limit of one webhook delivery attempt, connect to last byte. (Default: 10000 ms) */
  webhookTimeoutMs: number;
  /** Webhook deliveries in flight at once per endpoint, across all processes. (Default: 4) */
  webhookMaxInFlight: number;
  /** Key Calendly signs its webhooks with (Calendly-Webhook-Signature); unset: POST /hooks/calendly answers 401. (Default: none) */
  calendlySigningKey: string | undefined;
  /** How old a Calendly signature's timestamp may be, either way. (Default: 180 s) */
  calendlyToleranceSeconds: number;
  /** Secret of the Cal.com webhook (X-Cal-Signature-256); unset: POST /hooks/cal answers 401. (Default: none) */
  calcomSecret: string | undefined;
  /** smtp[s]://user:pass@host:port of the outgoing mail server; with mailFrom, approved drafts are sent. (Default: none: mailto and .eml instead) */
  smtpUrl: string | undefined;
  /** The From of every message, e.g. `Ada Lovelace <ada@example.com>`. (Default: none) */
  mailFrom: { name: string; address: string } | undefined;
  /** Send drafts the rules make without waiting for approval. (Default: false) */
  autoSend: boolean;
  /** Local hour (HIREPULSE_TIMEZONE) of the daily digest. (Default: 8) */
  digestHour: number;
  /** Where the digest goes. (Default: the MAIL_FROM address; no address, no digest mail) */
  digestTo: string | undefined;
  /** Pause between rounds of the actions worker (drafts, outbox, digest). (Default: 1000 ms) */
  actionsPollMs: number;
  /** A sender's claim on a message, renewed while it sends; after a crash another process takes over once it lapses. (Default: 30000 ms) */
  mailLeaseMs: number;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function isValidTimeZone(zone: string): boolean {
  if (zone === 'UTC') return true; // the default: no need to load ICU's zone data at start (~30 ms)
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${env[name]}"`);
}

interface Secrets {
  apiKey: string;
  ipHashSecret: string;
}

/** Reads the generated secrets, creating them once; safe when two processes start at once. */
function loadOrCreateSecrets(dataDir: string): Secrets {
  const file = path.join(dataDir, 'secrets.json');
  const read = (): Secrets | undefined => {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Secrets>;
      if (typeof parsed.apiKey === 'string' && typeof parsed.ipHashSecret === 'string') {
        return { apiKey: parsed.apiKey, ipHashSecret: parsed.ipHashSecret };
      }
      throw new ConfigError('HIREPULSE_DATA_DIR', `${file} is damaged; remove it to generate new secrets`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      if (err instanceof ConfigError) throw err;
      throw new ConfigError('HIREPULSE_DATA_DIR', `cannot read ${file}: ${(err as Error).message}`);
    }
  };
  const existing = read();
  if (existing) return existing;
  try {
    mkdirSync(dataDir, { recursive: true });
    const secrets: Secrets = {
      apiKey: `hp_${randomBytes(24).toString('base64url')}`,
      ipHashSecret: randomBytes(32).toString('base64url'),
    };
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
    try {
      linkSync(tmp, file); // atomic; fails with EEXIST when another process won the race
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      unlinkSync(tmp);
    }
  } catch (err) {
    throw new ConfigError('HIREPULSE_DATA_DIR', `cannot write secrets to ${dataDir}: ${(err as Error).message}`);
  }
  return read()!;
}

function parseTrustProxy(raw: string | undefined): string[] {
  if (!raw || raw.trim() === '') return [];
  const entries = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const entry of entries) {
    const ok = entry.includes('/') ? safe(() => ipaddr.parseCIDR(entry)) : ipaddr.isValid(entry);
    if (!ok) throw new ConfigError('TRUST_PROXY', `"${entry}" is not an IP address or CIDR`);
  }
  return entries;
}

/**
 * The PGlite settings one may tune: memory sizes only, 1 MB to 1 GB (inside PostgreSQL's limits for
 * each, and PGlite's WASM heap stops at 2 GB), so a typo cannot stop the database at start with
 * an opaque error.
 */
const PGLITE_SETTINGS = ['shared_buffers', 'work_mem', 'maintenance_work_mem', 'temp_buffers', 'wal_buffers', 'effective_cache_size'];
const KB_PER_UNIT: Record<string, number> = { kB: 1, MB: 1024, GB: 1024 * 1024 };

function parsePgliteSettings(raw: string | undefined): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const entry of (raw ?? '').split(/[\s,]+/).filter(Boolean)) {
    const [name, value, ...rest] = entry.split('=');
    if (!PGLITE_SETTINGS.includes(name)) {
      throw new ConfigError('HIREPULSE_PGLITE_SETTINGS', `"${name.slice(0, 40)}" is not one of ${PGLITE_SETTINGS.join(', ')}`);
    }
    const size = /^(\d{1,7})(kB|MB|GB)$/.exec(value ?? '');
    const kB = size ? Number(size[1]) * KB_PER_UNIT[size[2]] : NaN;
    if (rest.length > 0 || !(kB >= 1024 && kB <= 1024 * 1024)) {
      throw new ConfigError('HIREPULSE_PGLITE_SETTINGS', `${name} must be a size from 1MB to 1GB (kB, MB or GB), got "${entry.slice(0, 60)}"`);
    }
    settings[name] = value;
  }
  return settings;
}

/** A shared secret given by a provider: unset or empty means "not configured"; a short one is a mistake. */
function secretOrUndefined(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  if (raw.length < 8) throw new ConfigError(name, 'must be at least 8 characters');
  return raw;
}

const EMAIL = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;

/** `Name <address>` or a bare address; the name may hold any Unicode (it is encoded when sent). */
export function parseMailbox(raw: string, variable: string): { name: string; address: string } {
  const m = /^\s*(?:"?([^"<>]*?)"?\s*)?<([^<>]+)>\s*$/.exec(raw);
  const name = m ? (m[1] ?? '').trim() : '';
  const address = (m ? m[2] : raw).trim();
  if (!EMAIL.test(address) || /[\u0000-\u001f]/.test(raw)) {
    throw new ConfigError(variable, `must be an email address, optionally with a name ("Ada Lovelace <ada@example.com>"), got "${raw.slice(0, 80)}"`);
  }
  return { name, address };
}

function parseSmtpUrl(raw: string | undefined): string | undefined {
  if (!raw || raw.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigError('SMTP_URL', 'must look like smtp://user:pass@host:587 or smtps://user:pass@host:465');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new ConfigError('SMTP_URL', `must use smtp: or smtps:, got "${url.protocol}"`);
  if (!url.hostname) throw new ConfigError('SMTP_URL', 'must name a host');
  return raw.trim();
}

function safe(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
}

function parseBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('PUBLIC_BASE_URL', `must be an absolute http or https URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('PUBLIC_BASE_URL', `must use http or https, got "${url.protocol}"`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigError('PUBLIC_BASE_URL', 'must not carry a query, fragment or credentials');
  }
  return url.href.replace(/\/+$/, '');
}

export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 5000, 0, 65535);
  const host = env.HOST?.trim() || '127.0.0.1';
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must start with postgres:// or postgresql://');
  }
  const dataDir = path.resolve(env.HIREPULSE_DATA_DIR?.trim() || './data');
  const defaultTimezone = env.HIREPULSE_TIMEZONE?.trim() || 'UTC';
  if (!isValidTimeZone(defaultTimezone)) {
    throw new ConfigError('HIREPULSE_TIMEZONE', `"${defaultTimezone}" is not an IANA time zone (e.g. Europe/Berlin)`);
  }
  const givenKey = env.WEBHOOK_API_KEY;
  if (givenKey !== undefined && givenKey !== '' && (givenKey.length < 16 || /\s/.test(givenKey))) {
    throw new ConfigError('WEBHOOK_API_KEY', 'must be at least 16 characters without spaces');
  }
  const givenSecret = env.IP_HASH_SECRET;
  if (givenSecret !== undefined && givenSecret !== '' && givenSecret.length < 16) {
    throw new ConfigError('IP_HASH_SECRET', 'must be at least 16 characters');
  }
  const publicBaseUrl = parseBaseUrl(env.PUBLIC_BASE_URL?.trim() || `http://localhost:${port}`);
  const trustProxy = parseTrustProxy(env.TRUST_PROXY);
  const logLevel = (env.LOG_LEVEL?.trim() || 'info') as Config['logLevel'];
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of fatal, error, warn, info, debug, trace, silent`);
  }
  const roleName = env.HIREPULSE_ROLE?.trim() || 'all';
  if (!['all', 'api', 'worker'].includes(roleName)) throw new ConfigError('HIREPULSE_ROLE', `must be all, api or worker, got "${roleName}"`);
  // HIREPULSE_WORKER=false (the older switch) makes an "all" process an API-only one.
  const role = (roleName === 'all' && !flag(env, 'HIREPULSE_WORKER', true) ? 'api' : roleName) as Config['role'];
  if (roleName !== 'all' && !databaseUrl) {
    throw new ConfigError('HIREPULSE_ROLE', `${roleName} needs PostgreSQL (DATABASE_URL): the embedded database serves one process, which does everything`);
  }
  const workerEnabled = role !== 'api';
  const recalcDelayMs = integer(env, 'HIREPULSE_RECALC_DELAY_MS', 2500, 0, 4000);
  const poolSize = integer(env, 'PG_POOL_SIZE', 10, 1, 200);
  const fullRunIntervalMs = integer(env, 'HIREPULSE_FULL_RUN_INTERVAL_MS', 600_000, 0, 7 * 86_400_000);
  const recalcBatchSize = integer(env, 'HIREPULSE_RECALC_BATCH_SIZE', 0, 0, 10_000);
  const apiRateLimitPerMinute = integer(env, 'HIREPULSE_API_RATE_LIMIT', 600, 0, 1_000_000);
  const wrongKeyLimit = integer(env, 'HIREPULSE_WRONG_KEY_LIMIT', 20, 0, 1_000_000);
  const pgliteSettings = Object.freeze(parsePgliteSettings(env.HIREPULSE_PGLITE_SETTINGS));
  const apiMaxInFlight = integer(env, 'HIREPULSE_API_MAX_IN_FLIGHT', 64, 0, 100_000);
  const clickRetentionDays = integer(env, 'HIREPULSE_CLICK_RETENTION_DAYS', 0, 0, 36_500);

  const webhookAllowPrivate = flag(env, 'HIREPULSE_WEBHOOK_ALLOW_PRIVATE', false);
  const webhookTimeoutMs = integer(env, 'HIREPULSE_WEBHOOK_TIMEOUT_MS', 10_000, 500, 30_000);
  const webhookMaxInFlight = integer(env, 'HIREPULSE_WEBHOOK_MAX_IN_FLIGHT', 4, 1, 100);
  const calendlySigningKey = secretOrUndefined(env, 'CALENDLY_WEBHOOK_SIGNING_KEY');
  const calendlyToleranceSeconds = integer(env, 'CALENDLY_WEBHOOK_TOLERANCE_SECONDS', 180, 10, 3600);
  const calcomSecret = secretOrUndefined(env, 'CALCOM_WEBHOOK_SECRET');

  const smtpUrl = parseSmtpUrl(env.SMTP_URL);
  const mailFrom = env.MAIL_FROM?.trim() ? parseMailbox(env.MAIL_FROM.trim(), 'MAIL_FROM') : undefined;
  if (smtpUrl && !mailFrom) throw new ConfigError('MAIL_FROM', 'must be set when SMTP_URL is (the From of every message)');
  const autoSend = flag(env, 'HIREPULSE_AUTO_SEND', false);
  const digestHour = integer(env, 'HIREPULSE_DIGEST_HOUR', 8, 0, 23);
  const digestTo = env.HIREPULSE_DIGEST_TO?.trim() ? parseMailbox(env.HIREPULSE_DIGEST_TO.trim(), 'HIREPULSE_DIGEST_TO').address : mailFrom?.address;
  const actionsPollMs = integer(env, 'HIREPULSE_ACTIONS_POLL_MS', 1000, 10, 3_600_000);
  const mailLeaseMs = integer(env, 'HIREPULSE_MAIL_LEASE_MS', 30_000, 1000, 3_600_000);

  const needsSecrets = !givenKey || !givenSecret;
  const secrets = needsSecrets ? loadOrCreateSecrets(dataDir) : undefined;

  return Object.freeze({
    port,
    host,
    databaseUrl,
    dataDir,
    apiKey: givenKey || secrets!.apiKey,
    apiKeyGenerated: !givenKey,
    publicBaseUrl,
    defaultTimezone,
    ipHashSecret: givenSecret || secrets!.ipHashSecret,
    ipHashSecretGenerated: !givenSecret,
    trustProxy,
    logLevel,
    role,
    workerEnabled,
    recalcDelayMs,
    poolSize,
    fullRunIntervalMs,
    recalcBatchSize,
    apiRateLimitPerMinute,
    wrongKeyLimit,
    clickRetentionDays,
    apiMaxInFlight,
    pgliteSettings,
    webhookAllowPrivate,
    webhookTimeoutMs,
    webhookMaxInFlight,
    calendlySigningKey,
    calendlyToleranceSeconds,
    calcomSecret,
    smtpUrl,
    mailFrom,
    autoSend,
    digestHour,
    digestTo,
    actionsPollMs,
    mailLeaseMs,
  });
}
