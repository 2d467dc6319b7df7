import http from 'node:http';
import https from 'node:https';
import { guardedLookup, refusedLiteralHost } from './address-guard.js';
import { parseRetryAfter } from './retry-schedule.js';

export interface AttemptOutcome {
  /** The receiver's status, or null when no answer came (refused, timeout, network error). */
  statusCode: number | null;
  /** What went wrong, in words; null for a 2xx. */
  error: string | null;
  retryAfterMs: number | null;
  durationMs: number;
}

export interface SendOptions {
  timeoutMs: number;
  allowPrivate: boolean;
  signal?: AbortSignal;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * One POST of a signed body. Redirects are never followed (a 3xx is a failure): a receiver
 * that moved must be registered again, and a redirect cannot lead the request to an address
 * the guard would refuse. The whole attempt, connect to last byte, has `timeoutMs`.
 */
export function sendAttempt(target: string, body: string, headers: Record<string, string>, options: SendOptions): Promise<AttemptOutcome> {
  const started = Date.now();
  const done = (statusCode: number | null, error: string | null, retryAfterMs: number | null = null): AttemptOutcome => ({
    statusCode,
    error,
    retryAfterMs,
    durationMs: Date.now() - started,
  });
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return Promise.resolve(done(null, 'the endpoint URL is not valid'));
  }
  const literal = refusedLiteralHost(url.hostname, options.allowPrivate);
  if (literal) return Promise.resolve(done(null, `refused: ${literal}`));
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<AttemptOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: AttemptOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'hirepulse-webhooks/1', ...headers, 'content-length': Buffer.byteLength(body) },
        lookup: guardedLookup(options.allowPrivate) as never,
        agent: false,
      },
      (response) => {
        let received = 0;
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_RESPONSE_BYTES) response.destroy();
        });
        const settle = () => {
          const status = response.statusCode ?? 0;
          const retryAfter = parseRetryAfter(response.headers['retry-after'], Date.now());
          if (status >= 200 && status < 300) return finish(done(status, null));
          const why =
            status >= 300 && status < 400
              ? `redirect (${status}) not followed${response.headers.location ? ` to ${String(response.headers.location).slice(0, 200)}` : ''}`
              : `the receiver answered ${status}`;
          finish(done(status, why, retryAfter));
        };
        response.on('end', settle);
        response.on('close', settle);
        response.on('error', settle);
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      finish(done(null, `no answer within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    const onAbort = () => {
      request.destroy();
      finish(done(null, 'stopped while waiting for the receiver (the service shut down)'));
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    request.on('error', (err: NodeJS.ErrnoException) => {
      finish(done(null, err.name === 'RefusedAddressError' ? err.message : `${err.code ?? 'error'}: ${err.message}`.slice(0, 300)));
    });
    request.end(body);
  });
}
