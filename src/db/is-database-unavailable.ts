/**
 * Whether an error means the database could not be reached or dropped the connection (it is
 * stopped, restarting, refusing connections, or the network is cut), as opposed to an error in
 * the query or the data. Such a request may succeed if tried again later: the API answers it
 * 503 with Retry-After, where any other unexpected error is a 500.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return true;
    // SQLSTATE class 08: connection exception; 57P01-57P03: the server is shutting down or
    // starting up; 53300: too many connections.
    if (/^08[0-9A-Z]{3}$/.test(code) || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300') return true;
  }
  return typeof message === 'string' && CLIENT_MESSAGES.some((m) => message.includes(m));
}

/** Socket errors from the driver while connecting or talking to the server. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** What node-postgres says, without a code, when a connection drops or cannot be had in time. */
const CLIENT_MESSAGES = [
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
];
