/**
 * Settings' test buttons (SPEC §7) in a real headless Chromium against the real service (PGlite):
 * SMTP (a loopback smtp-server), a webhook's test event (a loopback receiver, checked with
 * `standardwebhooks`), the booking dry run, the digest sent now; and, on a service with nothing
 * configured, what each button says instead. axe-core, and 375 px without sideways scrolling.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchBrowser, screenshot, startDashboardService, type DashboardService } from '../helpers/browser.js';
import { CALENDLY_KEY } from '../helpers/booking-payloads.js';
import { decodeHeaderValue, header, startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { zoneWithLocalHourBetween } from '../helpers/spawn-service.js';
import { startReceiver, verifyStandardWebhook } from '../helpers/webhook-receiver.js';

const integration = (page: Page, name: string) => page.getByRole('listitem').filter({ has: page.getByRole('strong').filter({ hasText: name }) });

describe('Settings test buttons [pglite]', () => {
  let browser: BrowserContext;
  let smtp: TestSmtpServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let hp: DashboardService;
  let bare: DashboardService;
  let page: Page;
  const zone = zoneWithLocalHourBetween(9, 20); // the digest hour (23) is still to come there

  beforeAll(async () => {
    browser = await launchBrowser();
    smtp = await startTestSmtpServer();
    receiver = await startReceiver(() => ({ status: 204 }));
    hp = await startDashboardService({
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Ada Lovelace <ada@example.com>',
      HIREPULSE_DIGEST_TO: 'me@example.com',
      HIREPULSE_DIGEST_HOUR: '23',
      HIREPULSE_TIMEZONE: zone,
      CALENDLY_WEBHOOK_SIGNING_KEY: CALENDLY_KEY,
      HIREPULSE_WEBHOOK_ALLOW_PRIVATE: 'true',
    });
    bare = await startDashboardService();
    page = await browser.newPage();
    await hp.signIn(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Integrations' }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hp?.service.stop();
    await bare?.service.stop();
    await receiver?.close();
    await smtp?.close();
  });

  it('SMTP: tests the connection, then sends a test message that arrives', async () => {
    const mail = integration(page, 'Email sending (SMTP)');
    await mail.getByRole('button', { name: 'Test the connection' }).click();
    await mail.getByRole('status').getByText(/Connected to .* and logged in\./).waitFor();
    const before = smtp.received.length;
    await mail.getByRole('button', { name: 'Send a test message' }).click();
    await mail.getByRole('status').getByText('sent a test message to me@example.com', { exact: false }).waitFor();
    expect(smtp.received.length).toBe(before + 1);
    expect(decodeHeaderValue(header(smtp.received.at(-1)!.raw, 'Subject')!)).toBe('hirepulse: test message');
  }, 60_000);

  it('webhooks: Send test event reaches the receiver signed, and the log shows it', async () => {
    const created = await (await hp.apiAsScript('/api/webhooks', { method: 'POST', body: JSON.stringify({ url: receiver.url, events: ['trigger.fired'], description: 'my relay' }) })).json();
    await page.reload();
    const item = page.getByRole('listitem').filter({ hasText: 'my relay' });
    await item.getByRole('button', { name: 'Show deliveries' }).click();
    await item.getByText('Nothing sent yet.').waitFor();
    await item.getByRole('button', { name: `Send test event to ${receiver.url}` }).click();
    await item.getByRole('status').getByText(/The receiver answered 204 in \d+ ms\./).waitFor();
    expect(receiver.requests).toHaveLength(1);
    expect(verifyStandardWebhook(created.secret, receiver.requests[0]).type).toBe('webhook.test');
    const log = page.getByRole('region', { name: `Deliveries to ${receiver.url}` });
    await log.getByText('webhook.test').waitFor();
    expect(await log.innerText()).toContain('delivered after 1 attempt');
    expect(await log.innerText()).toContain('HTTP 204');
  }, 60_000);

  it('booking integration: the addresses to register, and the dry run', async () => {
    const bookings = integration(page, 'Booking integration');
    expect(await bookings.getByRole('textbox', { name: 'Calendly webhook address' }).inputValue()).toBe(`${hp.base}/hooks/calendly`);
    expect(await bookings.getByRole('textbox', { name: 'Cal.com webhook address' }).inputValue()).toBe(`${hp.base}/hooks/cal`);
    await bookings.getByText('CALENDLY_WEBHOOK_SIGNING_KEY is set.').waitFor();
    await bookings.getByText('CALCOM_WEBHOOK_SECRET is not set.').waitFor();
    await bookings.getByRole('button', { name: 'Test the booking setup' }).click();
    const result = bookings.getByRole('status');
    await result.getByText('Bookings cannot be received yet:').waitFor();
    // The service runs at 127.0.0.1, which no provider can reach; the Calendly key itself works.
    expect(await result.innerText()).toMatch(/PUBLIC_BASE_URL is http:\/\/127\.0\.0\.1:\d+, which .*cannot reach it/);
    expect(await result.innerText()).toMatch(/Calendly: A sample booking signed with CALENDLY_WEBHOOK_SIGNING_KEY passed/);
    expect(await page.locator('main').innerText()).not.toContain(CALENDLY_KEY);
  }, 60_000);

  it('daily digest: the hour, the zone and the next one; sent now as a test', async () => {
    const digest = integration(page, 'Daily digest');
    await digest.getByText(`At 23:00 in ${zone}, emailed to me@example.com. Next:`, { exact: false }).waitFor();
    const before = smtp.received.length;
    await digest.getByRole('button', { name: 'Send today’s digest now' }).click();
    await digest.getByRole('status').getByText('Sent today\'s digest to me@example.com with "[test]" in its subject.').waitFor();
    expect(smtp.received.length).toBe(before + 1);
    expect(decodeHeaderValue(header(smtp.received.at(-1)!.raw, 'Subject')!)).toMatch(/^\[test\] hirepulse \d{4}-\d\d-\d\d: /);
    expect((await (await hp.apiAsScript('/api/digests')).json()).digests).toEqual([]); // the real one is still to come
    await expectAccessible(page, 'settings after every test');
    await screenshot(page, 'settings-tests');
  }, 60_000);

  it('with nothing configured, each button says what to set; at 375 px and accessible', async () => {
    const phone = await browser.newPage();
    await phone.setViewportSize({ width: 375, height: 812 });
    await bare.signIn(phone);
    await phone.goto(`${bare.base}/settings`);
    await phone.getByRole('heading', { name: 'Integrations' }).waitFor();
    const mail = integration(phone, 'Email sending (SMTP)');
    await mail.getByRole('button', { name: 'Test the connection' }).click();
    await mail.getByRole('status').getByText(/Not configured: email sending is not configured: set SMTP_URL .* and MAIL_FROM/).waitFor();
    const bookings = integration(phone, 'Booking integration');
    await bookings.getByRole('button', { name: 'Test the booking setup' }).click();
    await bookings.getByRole('status').getByText(/No booking provider is set up: set CALENDLY_WEBHOOK_SIGNING_KEY/).waitFor();
    const digest = integration(phone, 'Daily digest');
    await digest.getByRole('button', { name: 'Show today’s digest' }).click();
    await digest.getByRole('status').getByText(/so here is the digest as it would read now/).waitFor();
    await digest.getByText(/hirepulse \d{4}-\d\d-\d\d: nothing due today/).waitFor();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    const wide = await phone.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth)
        .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${e.getBoundingClientRect().right}: ${(e.textContent ?? '').slice(0, 40)}`)
        .slice(0, 8),
    );
    expect(overflow, `settings scrolls sideways at 375 px: ${wide.join(', ')}`).toBeLessThanOrEqual(0);
    await expectAccessible(phone, 'settings with nothing configured, at 375 px');
    await screenshot(phone, 'settings-tests-phone');
    await phone.close();
  }, 90_000);
});
