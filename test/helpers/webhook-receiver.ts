import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedRequest {
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

export type Answer = { status: number; headers?: Record<string, string> } | 'hang';

/**
 * A webhook receiver on loopback, started by a test: records every request and answers what
 * `answer` says for the n-th one (0-based), or never answers ('hang').
 */
export async function startReceiver(answer: (n: number, req: ReceivedRequest) => Answer = () => ({ status: 200 })) {
  const requests: ReceivedRequest[] = [];
  const hanging: http.ServerResponse[] = [];
  let active = 0;
  let maxActive = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      const n = requests.length;
      requests.push(received);
      const a = answer(n, received);
      if (a === 'hang') {
        hanging.push(res);
        return;
      }
      active += 1;
      maxActive = Math.max(maxActive, active);
      res.writeHead(a.status, a.headers ?? {});
      res.end('ok', () => (active -= 1));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    requests,
    maxActive: () => maxActive,
    /** Answers every request left hanging. */
    release(status = 200) {
      for (const res of hanging.splice(0)) if (!res.writableEnded) res.writeHead(status).end();
    },
    async close() {
      for (const res of hanging.splice(0)) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Verifies a received request with the independent `standardwebhooks` package; returns the envelope. */
export function verifyStandardWebhook(secret: string, req: ReceivedRequest): { type: string; timestamp: string; data: Record<string, any> } {
  const wh = new Webhook(secret);
  return wh.verify(req.body, {
    'webhook-id': String(req.headers['webhook-id']),
    'webhook-timestamp': String(req.headers['webhook-timestamp']),
    'webhook-signature': String(req.headers['webhook-signature']),
  }) as { type: string; timestamp: string; data: Record<string, any> };
}
