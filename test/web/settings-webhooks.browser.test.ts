/**
 * Settings → Webhooks in a real headless Chromium against the real service (PGlite): a person
 * adds an endpoint, copies the secret shown once, a visitor's click reaches the receiver signed
 * with that very secret, the delivery log says so; a receiver that answers 410 is shown as
 * stopped; removing an endpoint asks first. axe-core on the page, and at 375 px.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchBrowser, screenshot, startDashboardService, type DashboardService } from '../helpers/browser.js';
import { HUMAN_UA } from '../helpers/test-app.js';
import { startReceiver, verifyStandardWebhook } from '../helpers/webhook-receiver.js';

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe('webhooks in the Settings page [pglite]', () => {
  let hp: DashboardService;
  let browser: BrowserContext;
  let page: Page;
  const good = { receiver: undefined as unknown as Awaited<ReturnType<typeof startReceiver>> };
  const gone = { receiver: undefined as unknown as Awaited<ReturnType<typeof startReceiver>> };
  let trackingId: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    // The receivers listen on loopback, which the SSRF guard refuses unless allowed.
    hp = await startDashboardService({ HIREPULSE_WEBHOOK_ALLOW_PRIVATE: 'true' });
    good.receiver = await startReceiver(() => ({ status: 204 }));
    gone.receiver = await startReceiver(() => ({ status: 410 }));
    const app = await (await hp.apiAsScript('/api/applications', { method: 'POST', body: JSON.stringify({ company: 'Acme Robotics', job_title: 'Platform Engineer', timezone: 'UTC' }) })).json();
    const link = await (await hp.apiAsScript(`/api/applications/${app.id}/links`, { method: 'POST', body: JSON.stringify({ link_type: 'resume', target_url: 'https://example.com/cv' }) })).json();
    trackingId = link.tracking_id;
    page = await browser.newPage();
    await hp.signIn(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hp?.service.stop();
    await good.receiver?.close();
    await gone.receiver?.close();
  });

  const addWebhook = async (url: string, description: string) => {
    const form = page.getByRole('group', { name: 'Add a webhook' });
    await form.getByLabel('Address (URL)').fill(url);
    await form.getByLabel('Description (optional)').fill(description);
    await form.getByRole('checkbox', { name: /click\.recorded/ }).check();
    await form.getByRole('button', { name: 'Add webhook' }).click();
    await page.getByText('Its signing secret is shown only now').waitFor();
    return page.getByRole('textbox', { name: 'Signing secret' }).inputValue();
  };

  it('adds an endpoint, shows its secret once, and a click reaches it signed with that secret', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
    await page.getByText('No webhook yet.').waitFor();

    // A URL the API refuses: the form says why, and nothing is added.
    const form = page.getByRole('group', { name: 'Add a webhook' });
    await form.getByLabel('Address (URL)').fill('ftp://example.com/hook');
    await form.getByRole('button', { name: 'Add webhook' }).click();
    await page.getByRole('alert').filter({ hasText: /url/i }).waitFor();
    expect((await (await hp.apiAsScript('/api/webhooks')).json()).webhooks).toEqual([]);

    const secret = await addWebhook(good.receiver.url, 'my n8n');
    expect(secret).toMatch(/^whsec_/);
    await expectAccessible(page, 'settings with a new webhook secret');
    await screenshot(page, 'settings-webhook-added');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await page.getByRole('textbox', { name: 'Signing secret' }).count()).toBe(0);
    const listed = page.getByRole('listitem').filter({ hasText: 'my n8n' });
    await listed.getByText('active').waitFor();
    // The list never shows the secret again, and neither does the API.
    expect(await page.locator('main').innerText()).not.toContain(secret);
    expect(JSON.stringify(await (await hp.apiAsScript('/api/webhooks')).json())).not.toContain(secret);

    // A person opens the résumé: the worker judges the click and the event goes out.
    const res = await fetch(`${hp.base}/t/${trackingId}`, { redirect: 'manual', headers: { 'user-agent': HUMAN_UA, 'x-forwarded-for': '198.51.100.23' } });
    expect(res.status).toBe(302);
    const received = await until('click.recorded at the receiver', async () => good.receiver.requests[0]);
    const envelope = verifyStandardWebhook(secret, received); // the secret the page showed signs it
    expect(envelope.type).toBe('click.recorded');
    expect(envelope.data.link.tracking_id).toBe(trackingId);

    await listed.getByRole('button', { name: 'Show deliveries' }).click();
    const log = page.getByRole('region', { name: `Deliveries to ${good.receiver.url}` });
    await until('the delivery shown as delivered', async () => {
      await log.getByRole('button', { name: 'Refresh' }).click();
      return (await log.innerText()).includes('delivered after 1 attempt') ? true : undefined;
    });
    expect(await log.innerText()).toContain('HTTP 204');
    await expectAccessible(page, 'settings with a delivery log');
    await screenshot(page, 'settings-webhook-deliveries');
  }, 90_000);

  it('shows an endpoint that answered 410 as stopped', async () => {
    await addWebhook(gone.receiver.url, 'old relay');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    const res = await fetch(`${hp.base}/t/${trackingId}`, { redirect: 'manual', headers: { 'user-agent': HUMAN_UA, 'x-forwarded-for': '198.51.100.24' } });
    expect(res.status).toBe(302);
    await until('the 410 at the receiver', async () => gone.receiver.requests[0]);
    const item = page.getByRole('listitem').filter({ hasText: 'old relay' });
    await until('the endpoint shown as stopped', async () => {
      await page.reload();
      return (await item.innerText().catch(() => '')).includes('stopped') ? true : undefined;
    });
    expect(await item.innerText()).toContain('Add it again to receive events');
    const phone = await browser.newPage();
    await phone.setViewportSize({ width: 375, height: 812 });
    await phone.goto(`${hp.base}/settings`);
    await phone.getByRole('heading', { name: 'Webhooks' }).waitFor();
    await phone.getByRole('button', { name: 'Show deliveries' }).first().click();
    await phone.getByRole('table').first().waitFor();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    const wide = await phone.evaluate(() =>
      [...document.querySelectorAll('main *')]
        .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth)
        .map((e) => `${e.tagName.toLowerCase()}.${e.className}`)
        .slice(0, 8),
    );
    expect(overflow, `settings scrolls sideways at 375 px: ${wide.join(', ')}`).toBeLessThanOrEqual(0);
    await expectAccessible(phone, 'settings with webhooks at 375 px');
    await phone.close();
  }, 90_000);

  it('asks before removing an endpoint, and a removed one is gone from the page and the API', async () => {
    const item = page.getByRole('listitem').filter({ hasText: 'old relay' });
    page.once('dialog', (d) => void d.dismiss());
    await item.getByRole('button', { name: /^Remove the webhook/ }).click();
    expect((await (await hp.apiAsScript('/api/webhooks')).json()).webhooks).toHaveLength(2);
    page.once('dialog', (d) => void d.accept());
    await item.getByRole('button', { name: /^Remove the webhook/ }).click();
    await item.waitFor({ state: 'detached' });
    const left = (await (await hp.apiAsScript('/api/webhooks')).json()).webhooks;
    expect(left.map((w: { description: string }) => w.description)).toEqual(['my n8n']);
  }, 60_000);
});
