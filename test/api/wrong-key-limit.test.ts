import { expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/databases.js';
import { TEST_API_KEY, useTestApp } from '../helpers/test-app.js';

/** Issue 14: repeated wrong keys from one address are slowed (HIREPULSE_WRONG_KEY_LIMIT). */
describeEachEngine('wrong API keys from one address', (engine) => {
  const t = useTestApp(engine, { HIREPULSE_WRONG_KEY_LIMIT: '3' });
  const get = (url: string, ip: string, headers: Record<string, string>) => t().app.inject({ method: 'GET', url, headers, remoteAddress: ip });

  it('after the limit, every key from that address gets 429 + Retry-After, the right one too; other addresses are not slowed', async () => {
    const guesser = '198.51.100.60';
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await get('/api/applications', guesser, { 'x-api-key': `wrong-key-guess-${i}` })).statusCode);
    expect(statuses).toEqual([401, 401, 401]);

    const slowed = await get('/api/applications', guesser, { 'x-api-key': 'wrong-key-guess-3' });
    expect(slowed.statusCode).toBe(429);
    expect(slowed.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringContaining('too many wrong API keys') } });
    expect(slowed.body).not.toContain(guesser);
    const wait = Number(slowed.headers['retry-after']);
    expect(wait).toBeGreaterThan(60); // the rest of the 15-minute window, not a token second
    expect(wait).toBeLessThanOrEqual(15 * 60);
    // The right key from the guessing address is refused as well: a 200 would tell it it had won.
    expect((await get('/api/applications', guesser, { 'x-api-key': TEST_API_KEY })).statusCode).toBe(429);

    // The right key from another address, and a first wrong key from a third, are answered as usual.
    expect((await get('/api/applications', '198.51.100.61', { 'x-api-key': TEST_API_KEY })).statusCode).toBe(200);
    expect((await get('/api/applications', '198.51.100.62', { 'x-api-key': 'wrong-key-guess-0' })).statusCode).toBe(401);
  });

  it('a request without a key is not a guess: it is not counted, and is a 401 even from a slowed address', async () => {
    const browser = '198.51.100.70';
    for (let i = 0; i < 6; i++) expect((await get('/api/applications', browser, {})).statusCode).toBe(401);
    expect((await get('/api/applications', browser, { 'x-api-key': TEST_API_KEY })).statusCode).toBe(200);
  });

  it('/metrics bearer tokens and the dashboard sign-in count against the same limit', async () => {
    const guesser = '198.51.100.80';
    expect((await get('/metrics', guesser, { authorization: 'Bearer guess-one' })).statusCode).toBe(401);
    const signIn = await t().app.inject({ method: 'POST', url: '/auth/sign-in', payload: { api_key: 'guess-two' }, remoteAddress: guesser });
    expect(signIn.statusCode).toBe(401);
    expect((await get('/api/applications', guesser, { 'x-api-key': 'guess-three' })).statusCode).toBe(401);
    expect((await get('/metrics', guesser, { authorization: `Bearer ${TEST_API_KEY}` })).statusCode).toBe(429);
    const again = await t().app.inject({ method: 'POST', url: '/auth/sign-in', payload: { api_key: TEST_API_KEY }, remoteAddress: guesser });
    expect(again.statusCode).toBe(429);
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(60);
  });

  it('counts an IPv6 /64 as one address, and an IPv4-mapped address as its IPv4 one', async () => {
    for (const ip of ['2001:db8:aa:bb::1', '2001:db8:aa:bb::2', '2001:db8:aa:bb:ffff::3']) {
      expect((await get('/api/applications', ip, { 'x-api-key': 'wrong-v6-guess' })).statusCode).toBe(401);
    }
    expect((await get('/api/applications', '2001:db8:aa:bb::99', { 'x-api-key': 'wrong-v6-guess' })).statusCode).toBe(429);
    expect((await get('/api/applications', '2001:db8:aa:cc::1', { 'x-api-key': TEST_API_KEY })).statusCode).toBe(200);

    for (const ip of ['198.51.100.90', '::ffff:198.51.100.90', '198.51.100.90']) {
      expect((await get('/api/applications', ip, { 'x-api-key': 'wrong-v4-guess' })).statusCode).toBe(401);
    }
    expect((await get('/api/applications', '::ffff:198.51.100.90', { 'x-api-key': TEST_API_KEY })).statusCode).toBe(429);
  });
});

describeEachEngine('wrong-key limit switched off', (engine) => {
  const t = useTestApp(engine, { HIREPULSE_WRONG_KEY_LIMIT: '0' });

  it('HIREPULSE_WRONG_KEY_LIMIT=0 never answers 429 to wrong keys', async () => {
    for (let i = 0; i < 30; i++) {
      const res = await t().app.inject({ method: 'GET', url: '/api/applications', headers: { 'x-api-key': `guess-${i}` }, remoteAddress: '198.51.100.99' });
      expect(res.statusCode).toBe(401);
    }
    expect((await t().app.inject({ method: 'GET', url: '/api/applications', headers: { 'x-api-key': TEST_API_KEY }, remoteAddress: '198.51.100.99' })).statusCode).toBe(200);
  });
});
