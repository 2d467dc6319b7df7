import { createServer, type Server } from 'node:http';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, freePort, launchBrowser, screenshot, startDashboardService, type DashboardService } from '../helpers/browser.js';
import { HUMAN_UA, TEST_API_KEY } from '../helpers/test-app.js';

/**
 * The dashboard end to end, in a real headless Chromium against the real service (PGlite):
 * sign in, sample data, add an application and its links, a visitor's click arriving while the
 * page is open, mark done, a phone-sized run, keyboard use, axe-core on every page, a
 * cross-origin POST refused, sign out.
 */
describe('dashboard in a real browser [pglite]', () => {
  let hp: DashboardService;
  let base: string;
  let browser: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser(); // first: without Chromium, fail at once with how to install it
    hp = await startDashboardService();
    base = hp.base;
    // Link targets live on other hosts; the browser never leaves this machine.
    await browser.route(/^https:\/\/(calendly\.com|example\.com)\//, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>target</title><p>target page' }),
    );
    page = await browser.newPage();
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !/status of 401/.test(msg.text())) problems.push(`console: ${msg.text()}`);
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hp?.service.stop();
  });

  const apiAsScript = (url: string, init: RequestInit = {}) => hp.apiAsScript(url, init);

  it('asks for the key, then signs in with a cookie the page cannot read', async () => {
    await page.goto(base + '/');
    await page.getByRole('heading', { name: 'Sign in to hirepulse' }).waitFor();
    await expectAccessible(page, 'sign-in');
    await screenshot(page, 'sign-in');
    await page.getByLabel('API key').fill('wrong-key-0123456789');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not the API key' }).waitFor();
    await page.getByLabel('API key').fill(TEST_API_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Today' }).waitFor();
    const cookies = await browser.cookies(base);
    expect(cookies).toEqual([expect.objectContaining({ name: 'hp_session', httpOnly: true, sameSite: 'Strict', path: '/' })]);
    expect(await page.evaluate(() => document.cookie)).toBe('');
  }, 60_000);

  it('an empty database says what to do next, and "Load sample data" fills Today', async () => {
    await page.getByRole('heading', { name: 'No applications yet' }).waitFor();
    await expectAccessible(page, 'today (empty)');
    await screenshot(page, 'today-empty');
    await page.getByRole('button', { name: 'Load sample data' }).click();
    await page.getByRole('heading', { name: /Next up/ }).waitFor({ timeout: 30_000 });
    const cards = page.locator('ol.queue > li');
    await expect.poll(() => cards.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    await expect.poll(() => page.locator('ol.queue').innerText()).toMatch(/Overdue by|Due in/);
    await page.getByRole('heading', { name: 'Numbers' }).waitFor();
    await expectAccessible(page, 'today');
    await screenshot(page, 'today');
    await screenshot(page, 'today-window', { fullPage: false }); // what docs/screenshot-today.png shows
  }, 60_000);

  let trackingUrls: string[] = [];
  let applicationPath = '';

  it('adds an application with its links in one form, and shows copyable tracking URLs', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Add' }).click();
    await page.getByRole('heading', { name: 'Add an application' }).waitFor();
    await expectAccessible(page, 'add');
    await page.getByLabel(/^Company/).fill('Acme Robotics');
    await page.getByLabel(/^Role/).fill('Platform Engineer');
    await page.getByLabel('Contact name').fill('Dana Reyes');
    // Sent three days ago: a click now is interest, not the "opened within 2 hours" alarm.
    const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000).toLocaleDateString('en-CA');
    await page.getByLabel('Applied on').fill(threeDaysAgo);
    await page.locator('#link-0-url').fill('https://example.com/dana/cv.pdf');
    await page.locator('#link-1-type').selectOption('calendly');
    await page.locator('#link-1-url').fill('https://calendly.com/me/30min');
    await screenshot(page, 'add');
    await page.getByRole('button', { name: 'Save application and links' }).click();
    await page.getByRole('heading', { name: /Acme Robotics/ }).waitFor();
    applicationPath = new URL(page.url()).pathname;
    expect(applicationPath).toMatch(/^\/applications\/[0-9a-f-]{36}$/);
    const inputs = page.getByRole('textbox', { name: /Tracked address for/ });
    await expect.poll(() => inputs.count()).toBe(2);
    trackingUrls = await inputs.evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    for (const url of trackingUrls) expect(url).toMatch(new RegExp(`^${base}/t/[A-Za-z0-9_-]+$`));
    await page.getByText('No clicks yet').waitFor();
    await expectAccessible(page, 'application (no clicks)');
  }, 60_000);

  it("a visitor's click changes the chart, the clicks and the suggestions without a reload, within 5 s", async () => {
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    const calendly = trackingUrls[1];
    // As a visitor's browser sends it: no dashboard cookie.
    const visit = await fetch(calendly, { redirect: 'manual', headers: { 'user-agent': HUMAN_UA } });
    expect(visit.status).toBe(302);
    // A booking page gets the booking attribution (SPEC §9): utm_source and the link's tracking id.
    expect(visit.headers.get('location')).toBe(`https://calendly.com/me/30min?utm_source=hirepulse&utm_content=${calendly.split('/t/')[1]}`);
    // And a link checker's HEAD: stored, shown as a machine with its reason.
    await fetch(trackingUrls[0], { method: 'HEAD', redirect: 'manual', headers: { 'user-agent': HUMAN_UA } });
    const clicked = Date.now();

    await page.locator('figure.chart canvas').first().waitFor({ timeout: 5_000 });
    await page.getByRole('cell', { name: 'A person' }).waitFor({ timeout: 5_000 });
    await page.getByRole('cell', { name: /Machine \(not counted\): a link checker/ }).waitFor({ timeout: 5_000 });
    await page.locator('ol.queue').getByText('Prepare for the interview').waitFor({ timeout: 5_000 });
    expect(Date.now() - clicked).toBeLessThan(5_000);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await expectAccessible(page, 'application');
    await screenshot(page, 'application');
  }, 60_000);

  it('a click on "Test" from the dashboard is the owner: shown as such, never counted', async () => {
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('link', { name: 'Test' }).first().click(),
    ]);
    await popup.waitForLoadState();
    await popup.close();
    await page.getByRole('cell', { name: 'You, testing the link (not counted)' }).waitFor({ timeout: 5_000 });
    const id = applicationPath.split('/').pop();
    const analytics = await (await apiAsScript(`/api/analytics/applications/${id}`)).json();
    expect(analytics.human_clicks).toBe(1);
  }, 60_000);

  it('Today shows the new item with its action and deadline; "Done" takes it off in one click', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Today' }).click();
    const card = page.locator('ol.queue > li').filter({ hasText: 'Acme Robotics' }).filter({ hasText: 'Prepare for the interview' });
    await card.waitFor({ timeout: 5_000 });
    await expect.poll(() => card.innerText()).toMatch(/Due in \d+ h/);
    await card.getByRole('button', { name: /Mark done: Acme Robotics/ }).click();
    // Done closes the interview-preparation item (another open trigger, e.g. a weekend look, may follow it).
    await card.waitFor({ state: 'detached', timeout: 5_000 });
    const id = applicationPath.split('/').pop();

    // Today updates by itself too: a new application (made by a script) and a visitor's click on its booking link.
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    const created = await (
      await apiAsScript('/api/applications', {
        method: 'POST',
        body: JSON.stringify({ company: 'Beacon Labs', job_title: 'SRE', applied_at: new Date(Date.now() - 2 * 86_400_000).toISOString() }),
      })
    ).json();
    const link = await (
      await apiAsScript(`/api/applications/${created.id}/links`, { method: 'POST', body: JSON.stringify({ link_type: 'calendly', target_url: 'https://calendly.com/me/beacon' }) })
    ).json();
    expect((await fetch(link.tracking_url, { redirect: 'manual', headers: { 'user-agent': HUMAN_UA } })).status).toBe(302);
    await page.locator('ol.queue > li').filter({ hasText: 'Beacon Labs' }).filter({ hasText: 'Prepare for the interview' }).waitFor({ timeout: 5_000 });
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

    const audit = await (await apiAsScript(`/api/audit?application_id=${id}`)).json();
    expect(audit.entries.map((e: { decision: string }) => e.decision)).toContain('queue_processed');
  }, 60_000);

  it('Settings says what is configured, and what is not yet', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Integrations' }).waitFor();
    expect(await page.locator('main').innerText()).toContain('not configured yet');
    await page.getByRole('button', { name: 'Test the service' }).click();
    await page.getByText('its database (pglite) is reachable').waitFor();
    await expectAccessible(page, 'settings');
    await screenshot(page, 'settings');
  }, 60_000);

  it('works by keyboard: skip link first, then the navigation', async () => {
    await page.goto(base + '/');
    await page.getByRole('heading', { name: 'Today' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Tab'); // brand
    await page.keyboard.press('Tab'); // Today
    await page.keyboard.press('Tab'); // Add
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Add');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Add an application' }).waitFor();
  }, 60_000);

  it('fits a 375 px phone screen on every page, and passes axe there too', async () => {
    const phone = await browser.newPage();
    await phone.setViewportSize({ width: 375, height: 812 });
    for (const [name, url, heading] of [
      ['today', '/', 'Today'],
      ['application', applicationPath, 'Acme Robotics'],
      ['add', '/add', 'Add an application'],
      ['settings', '/settings', 'Settings'],
    ] as const) {
      await phone.goto(base + url);
      await phone.getByRole('heading', { name: heading, exact: false }).first().waitFor();
      await phone.waitForLoadState('networkidle').catch(() => undefined);
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${name} scrolls sideways at 375 px`).toBeLessThanOrEqual(0);
      await expectAccessible(phone, `${name} at 375 px`);
      await screenshot(phone, `${name}-375px`);
    }
    await phone.close();
  }, 90_000);

  it('refuses a POST that carries the cookie from another origin (403), and nothing changes', async () => {
    const before = (await (await apiAsScript('/api/applications?limit=1')).json()).total;
    const evil: Server = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(`<!doctype html><title>evil</title><script>
        fetch(${JSON.stringify(base)} + '/api/applications', { method: 'POST', mode: 'no-cors', credentials: 'include',
          headers: { 'content-type': 'text/plain' }, body: '{"company":"Evil","job_title":"Forged"}' });
      </script>`);
    });
    const evilPort = await freePort();
    await new Promise<void>((resolve) => evil.listen(evilPort, '127.0.0.1', resolve));
    try {
      const attacker = await browser.newPage();
      // Same site (127.0.0.1), another origin (port): the Strict cookie IS sent, so only the Origin check stops it.
      const answered = attacker.waitForResponse((r) => r.url() === `${base}/api/applications` && r.request().method() === 'POST');
      await attacker.goto(`http://127.0.0.1:${evilPort}/`);
      const response = await answered;
      expect(response.status()).toBe(403);
      expect(await response.request().headerValue('cookie')).toMatch(/hp_session=/);
      await attacker.close();
    } finally {
      evil.close();
    }
    expect((await (await apiAsScript('/api/applications?limit=1')).json()).total).toBe(before);
  }, 60_000);

  it('signs out: the session ends on the server, the old cookie opens nothing', async () => {
    const [old] = await browser.cookies(base);
    await page.goto(base + '/');
    await page.getByRole('heading', { name: 'Today' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to hirepulse' }).waitFor();
    const replay = await fetch(`${base}/api/applications`, { headers: { cookie: `hp_session=${old.value}` } });
    expect(replay.status).toBe(401);
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to hirepulse' }).waitFor();
    expect(problems).toEqual([]);
  }, 60_000);
});
