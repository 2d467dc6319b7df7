/**
 * `serve` starts its background workers once the service has answered its first request, or
 * after a delay when none comes: their first rounds never stand in front of that first answer.
 */
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { startWorkersAfterFirstAnswer, type Workers } from '../../src/start-workers.js';

const apps: ReturnType<typeof Fastify>[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function listening() {
  const app = Fastify();
  app.get('/healthz', async () => ({ status: 'ok' }));
  apps.push(app);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, address };
}

function recorder() {
  const events: string[] = [];
  const start = async (): Promise<Workers> => {
    events.push('started');
    return { stop: async () => void events.push('stopped') };
  };
  return { events, start };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('startWorkersAfterFirstAnswer', () => {
  it('starts the workers once, after the first response is sent, and stops them', async () => {
    const { app, address } = await listening();
    const { events, start } = recorder();
    const workers = startWorkersAfterFirstAnswer(app, start, 600_000);
    expect(events).toEqual([]);
    expect((await fetch(`${address}/healthz`)).status).toBe(200);
    await pause(20);
    expect((await fetch(`${address}/healthz`)).status).toBe(200);
    await pause(20);
    expect(events).toEqual(['started']);
    await workers.stop();
    expect(events).toEqual(['started', 'stopped']);
  });

  it('starts them after the delay when no request comes', async () => {
    const { app } = await listening();
    const { events, start } = recorder();
    const workers = startWorkersAfterFirstAnswer(app, start, 10);
    await pause(100);
    expect(events).toEqual(['started']);
    await workers.stop();
    expect(events).toEqual(['started', 'stopped']);
  });

  it('stopped before they started, they never start', async () => {
    const { app, address } = await listening();
    const { events, start } = recorder();
    const workers = startWorkersAfterFirstAnswer(app, start, 10);
    await workers.stop();
    expect((await fetch(`${address}/healthz`)).status).toBe(200);
    await pause(100);
    expect(events).toEqual([]);
  });
});
