/**
 * docs/webhooks.md promises a ten-line verification snippet in Node and in Python. Both are
 * taken from the document as written and run against a real delivery received on loopback
 * (accepted), then against a tampered body, a wrong secret and a stale timestamp (refused), so
 * the document cannot drift from what the service signs. Both engines (the delivery comes from
 * the outbox).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { enqueueWebhookEvents, startWebhookDelivery } from '../../src/webhooks/index.js';
import { describeEachEngine } from '../helpers/databases.js';
import { api, useTestApp } from '../helpers/test-app.js';
import { startReceiver, type ReceivedRequest } from '../helpers/webhook-receiver.js';
import { waitFor } from '../helpers/workflow.js';

const doc = readFileSync(path.join(import.meta.dirname, '../../docs/webhooks.md'), 'utf8');
const section = doc.slice(doc.indexOf('## Verifying a delivery'));
const block = (lang: string) => {
  const m = section.match(new RegExp('```' + lang + '\\n([\\s\\S]*?)\\n```'));
  if (!m) throw new Error(`docs/webhooks.md has no ${lang} block under "Verifying a delivery"`);
  return m[1];
};
const NODE_SNIPPET = block('js');
const PYTHON_SNIPPET = block('python');
const hasPython = spawnSync('python3', ['-c', 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)']).status === 0;

const PY_DRIVER = `
import json, sys
case = json.load(sys.stdin)
try:
    print(json.dumps({"ok": verify(case["secret"], case["headers"], case["body"].encode())}))
except Exception as e:
    print(json.dumps({"error": str(e)}))
`;

it('each snippet is ten lines', () => {
  expect(NODE_SNIPPET.split('\n').length).toBeLessThanOrEqual(10);
  expect(PYTHON_SNIPPET.split('\n').length).toBeLessThanOrEqual(10);
});

describeEachEngine('the verification snippets of docs/webhooks.md', (engine) => {
  const t = useTestApp(engine, { HIREPULSE_WEBHOOK_ALLOW_PRIVATE: 'true' });
  let dir: string;
  let received: ReceivedRequest;
  let secret: string;
  let nodeVerify: (secret: string, headers: Record<string, string>, body: string) => unknown;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hirepulse-snippets-'));
    writeFileSync(path.join(dir, 'verify.mjs'), NODE_SNIPPET);
    writeFileSync(path.join(dir, 'verify.py'), PYTHON_SNIPPET + '\n' + PY_DRIVER);
    nodeVerify = (await import(pathToFileURL(path.join(dir, 'verify.mjs')).href)).verify;

    const receiver = await startReceiver();
    const worker = startWebhookDelivery(t().ctx.db, { info() {}, error() {} }, { allowPrivate: true, pollMs: 50 });
    try {
      const hook = await api(t().app).post('/api/webhooks', { url: receiver.url, events: ['digest.ready'] });
      expect(hook.status, hook.body).toBe(201);
      secret = hook.json.secret;
      await t().ctx.db.transaction((tx) => enqueueWebhookEvents(tx, [{ type: 'digest.ready', data: { subject: 'Today: 2 follow-ups — café', due_today: 2 } }]));
      await waitFor(async () => receiver.requests.length >= 1, 10_000);
      received = receiver.requests[0];
    } finally {
      await worker.stop();
      await receiver.close();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const headersOf = (req: ReceivedRequest) => ({
    'webhook-id': String(req.headers['webhook-id']),
    'webhook-timestamp': String(req.headers['webhook-timestamp']),
    'webhook-signature': String(req.headers['webhook-signature']),
  });
  const cases = () => {
    const headers = headersOf(received);
    return {
      genuine: { secret, headers, body: received.body },
      tampered: { secret, headers, body: received.body.replace('due_today":2', 'due_today":3') },
      wrongSecret: { secret: 'whsec_' + Buffer.alloc(32, 9).toString('base64'), headers, body: received.body },
      stale: { secret, headers: { ...headers, 'webhook-timestamp': String(Number(headers['webhook-timestamp']) - 600) }, body: received.body },
    };
  };

  it('Node: accepts the delivery, refuses a tampered body, a wrong secret and a stale timestamp', () => {
    const c = cases();
    expect(nodeVerify(c.genuine.secret, c.genuine.headers, c.genuine.body)).toMatchObject({ type: 'digest.ready', data: { due_today: 2 } });
    expect(() => nodeVerify(c.tampered.secret, c.tampered.headers, c.tampered.body)).toThrow(/bad signature/);
    expect(() => nodeVerify(c.wrongSecret.secret, c.wrongSecret.headers, c.wrongSecret.body)).toThrow(/bad signature/);
    expect(() => nodeVerify(c.stale.secret, c.stale.headers, c.stale.body)).toThrow(/stale/);
  });

  it.skipIf(!hasPython)('Python: accepts the delivery, refuses a tampered body, a wrong secret and a stale timestamp', () => {
    const run = (input: object) => JSON.parse(execFileSync('python3', [path.join(dir, 'verify.py')], { input: JSON.stringify(input), encoding: 'utf8' }));
    const c = cases();
    expect(run(c.genuine)).toEqual({ ok: expect.objectContaining({ type: 'digest.ready', data: expect.objectContaining({ due_today: 2 }) }) });
    expect(run(c.tampered)).toEqual({ error: 'bad signature' });
    expect(run(c.wrongSecret)).toEqual({ error: 'bad signature' });
    expect(run(c.stale)).toEqual({ error: 'stale timestamp' });
  });
});
