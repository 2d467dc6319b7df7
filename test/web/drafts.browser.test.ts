/**
 * The dashboard's part of issue 11, in a real headless Chromium against the real service
 * (PGlite, no SMTP): flags on Today, the application page's follow-up draft edited, warned
 * about a revealing word, approved and offered as a mailto: link and an .eml download; axe-core
 * on the page with a draft.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchBrowser, screenshot, startDashboardService, type DashboardService } from '../helpers/browser.js';
import { HUMAN_UA } from '../helpers/test-app.js';
import { HOUR, MINUTE, iso, saturdayNoonUtc } from '../helpers/workflow.js';

describe('follow-up drafts and flags in the dashboard [pglite]', () => {
  let hp: DashboardService;
  let base: string;
  let browser: BrowserContext;
  let page: Page;
  let id: string;

  const apiAsScript = async (url: string, body?: unknown) =>
    (await hp.apiAsScript(url, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) })).json() as Promise<any>;

  beforeAll(async () => {
    browser = await launchBrowser();
    hp = await startDashboardService({ HIREPULSE_RECALC_DELAY_MS: '0', HIREPULSE_ACTIONS_POLL_MS: '100', MAIL_FROM: 'Ada Lovelace <ada@example.com>' });
    base = hp.base;
    // A Saturday first click 30 min after applying: flags "review soon" and "personal interest".
    const saturday = saturdayNoonUtc();
    const app = await apiAsScript('/api/applications', {
      company: 'Zoë’s Bakery',
      job_title: 'Backend Engineer',
      contact_name: "Seán O'Brien",
      contact_email: 'sean@bakery.example',
      timezone: 'UTC',
      applied_at: iso(saturday.getTime() - 30 * MINUTE),
    });
    id = app.id;
    const link = await apiAsScript(`/api/applications/${id}/links`, { link_type: 'resume', target_url: 'https://example.com/resume' });
    await apiAsScript('/api/clicks/import', { clicks: [{ tracking_id: link.tracking_id, clicked_at: iso(saturday), user_agent: HUMAN_UA, ip: '198.51.100.7' }] });
    await apiAsScript('/api/analytics/process-triggers', { application_id: id });
    page = await browser.newPage();
    await hp.signIn(page);
    expect(HOUR).toBeGreaterThan(0);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hp?.service.stop();
  });

  it('Today shows the flags of the item', async () => {
    const flags = page.getByRole('list', { name: 'Flags' }).first();
    await flags.waitFor();
    expect(await flags.innerText()).toMatch(/Review soon[\s\S]*Personal interest/);
  }, 60_000);

  it('the application page: write a follow-up, edit it, see the warning, approve, then mailto and .eml', async () => {
    await page.goto(`${base}/applications/${id}`);
    await page.getByRole('heading', { name: 'Follow-up emails' }).waitFor();
    await page.getByRole('button', { name: 'Write a follow-up now' }).click();
    const subject = page.getByLabel('Subject');
    await subject.waitFor();
    expect(await subject.inputValue()).toBe('My application for the Backend Engineer role at Zoë’s Bakery');
    expect(await page.getByLabel('Message').inputValue()).toMatch(/^Hi Seán,\n\n/);
    await expectAccessible(page, 'application with a draft');
    await screenshot(page, 'application-draft');

    await page.getByLabel('Message').fill("Hi Seán,\n\nI noticed you opened my resume.\n\nAda");
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').filter({ hasText: 'opened, noticed' }).waitFor();
    await page.getByLabel('Message').fill('Hi Seán,\n\nA short note on my application.\n\nAda');
    await page.getByRole('button', { name: 'Approve' }).click();
    const mailto = page.getByRole('link', { name: 'Open in your mail program' });
    await mailto.waitFor();
    expect(await mailto.getAttribute('href')).toMatch(/^mailto:sean@bakery\.example\?subject=My%20application/);
    expect(await page.getByRole('link', { name: 'Download .eml' }).getAttribute('href')).toMatch(/\/eml$/);
    await expectAccessible(page, 'application with an approved draft');
    const drafts = await apiAsScript(`/api/applications/${id}/drafts`);
    expect(drafts.drafts[0]).toMatchObject({ status: 'approved', body: 'Hi Seán,\n\nA short note on my application.\n\nAda' });
  }, 60_000);
});
