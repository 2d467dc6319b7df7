/**
 * SPEC §9 / issue 12: a booking hirepulse could not match (no utm_content, an invitee email that
 * is no application's contact) is kept and listed for the person to attach by hand. In a real
 * headless Chromium against the real service (PGlite): Calendly reports a booking by a stranger,
 * Today lists it, the person picks the application and attaches it; the application moves to
 * interviewing and nothing is left to attach. Today shows nothing of the kind when no booking
 * waits. axe-core on the page, and at 375 px.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALENDLY_KEY, calendlyBody, signCalendly } from '../helpers/booking-payloads.js';
import { expectAccessible, launchBrowser, screenshot, startDashboardService, type DashboardService } from '../helpers/browser.js';

describe('unmatched bookings on Today [pglite]', () => {
  let hp: DashboardService;
  let browser: BrowserContext;
  let page: Page;
  let appId: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    hp = await startDashboardService({ CALENDLY_WEBHOOK_SIGNING_KEY: CALENDLY_KEY });
    const created = await hp.apiAsScript('/api/applications', { method: 'POST', body: JSON.stringify({ company: 'Acme Robotics', job_title: 'Platform Engineer', timezone: 'UTC' }) });
    appId = (await created.json()).id;
    await hp.apiAsScript('/api/applications', { method: 'POST', body: JSON.stringify({ company: 'Globex', job_title: 'SRE', timezone: 'UTC' }) });
    page = await browser.newPage();
    await hp.signIn(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hp?.service.stop();
  });

  it('shows nothing to attach while no booking waits', async () => {
    await page.getByRole('heading', { name: 'Today' }).waitFor();
    await page.getByText('Acme Robotics').first().waitFor();
    expect(await page.getByRole('heading', { name: 'Bookings to attach' }).count()).toBe(0);
  });

  it('lists a booking nobody matched and attaches it to the application the person picks', async () => {
    const raw = JSON.stringify(calendlyBody({ email: 'dana@stranger.example', start: new Date(Date.now() + 50 * 3_600_000) }));
    const hook = await fetch(`${hp.base}/hooks/calendly`, {
      method: 'POST',
      body: raw,
      headers: { 'content-type': 'application/json', 'calendly-webhook-signature': signCalendly(raw) },
    });
    expect(await hook.json()).toMatchObject({ matched: false });

    await page.reload();
    const section = page.getByRole('region', { name: 'Bookings to attach' });
    await section.waitFor();
    const item = section.getByRole('listitem').filter({ hasText: 'dana@stranger.example' });
    expect(await item.innerText()).toContain('30 Minute Meeting');
    expect(await item.innerText()).toContain('Calendly');
    await expectAccessible(page, 'today with a booking to attach');
    await screenshot(page, 'today-unmatched-booking');

    const choose = item.getByRole('combobox', { name: /Application for the meeting booked by Dana Lee/ });
    await choose.selectOption({ label: 'Acme Robotics — Platform Engineer' });
    await item.getByRole('button', { name: 'Attach' }).click();
    await section.waitFor({ state: 'detached' });

    const app = await (await hp.apiAsScript(`/api/applications/${appId}`)).json();
    expect(app.status).toBe('interviewing');
    const left = await (await hp.apiAsScript('/api/bookings?unmatched=true')).json();
    expect(left.bookings).toEqual([]);
    const audit = await (await hp.apiAsScript(`/api/audit?application_id=${appId}`)).json();
    expect(audit.entries.find((e: { decision: string }) => e.decision === 'booking_matched')).toMatchObject({ actor: 'user', rule: 'booking_match_manual' });
  }, 60_000);

  it('fits a phone screen', async () => {
    const raw = JSON.stringify(calendlyBody({ email: 'lee@elsewhere.example', start: new Date(Date.now() + 80 * 3_600_000) }));
    await fetch(`${hp.base}/hooks/calendly`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', 'calendly-webhook-signature': signCalendly(raw) } });
    const phone = await browser.newPage();
    await phone.setViewportSize({ width: 375, height: 812 });
    await phone.goto(`${hp.base}/`);
    await phone.getByRole('region', { name: 'Bookings to attach' }).waitFor();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, 'Today scrolls sideways at 375 px').toBeLessThanOrEqual(0);
    await expectAccessible(phone, 'today with a booking to attach at 375 px');
    await phone.close();
  }, 60_000);
});
