/**
 * Every built-in template, for every mix of names (apostrophes, accents, emoji, right-to-left
 * scripts), opened links and booking pages: the output names the company, role and contact,
 * reads as a person's note, and never says or hints that anything was tracked. Stored template
 * versions through the API: unknown variables refused, warnings for revealing words.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES, TEMPLATE_KEYS } from '../../src/actions/templates/default-templates.js';
import { renderTemplate } from '../../src/actions/templates/render-template.js';
import { templateVariables } from '../../src/actions/templates/template-variables.js';
import { proposeMeetingTimes } from '../../src/actions/templates/propose-meeting-times.js';

const DAY_MS = 86_400_000;
import { findTrackingWords } from '../../src/actions/templates/tracking-words.js';
import { decideFollowUpOffer } from '../../src/actions/drafts/follow-up-cadence.js';
import { LINK_TYPES } from '../../src/domain.js';
import { describeEachEngine } from '../helpers/databases.js';
import { api, useTestApp } from '../helpers/test-app.js';
import { createScenario } from '../helpers/workflow.js';

const NAMES = ["Seán O'Brien", 'Zoë Ångström-Nuñez', 'José 🚀 García', 'محمد الأحمد', 'שרה כהן', '李 小龙', "D'Arcy d'Artagnan", 'Ünal'];
const COMPANIES = ["Ben & Jerry's", 'Café Müller', 'شركة المثال', 'Acme 🚀 Labs', 'Ωmega', 'Tracking Inc'];

describe('built-in templates', () => {
  it('name the company, the role and the contact, and never reveal tracking, whatever the names and links', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TEMPLATE_KEYS),
        fc.option(fc.constantFrom(...NAMES), { nil: null }),
        fc.constantFrom(...COMPANIES.filter((c) => !/track/i.test(c))),
        fc.constantFrom('Staff Engineer', 'Ingénieure logicielle', 'مهندس برمجيات', 'Data Engineer (m/w/d)'),
        fc.uniqueArray(fc.constantFrom(...LINK_TYPES)),
        fc.option(fc.constant('https://calendly.com/you/30min'), { nil: null }),
        fc.option(fc.constantFrom('Ada Lovelace', 'Zoë 🚀'), { nil: null }),
        fc.option(fc.constantFrom('Tuesday 8 December at 10:00 or Wednesday 9 December at 14:00 (Europe/Berlin time)'), { nil: null }),
        (key, contact, company, role, opened, booking, sender, offeredTimes) => {
          const out = renderTemplate(
            DEFAULT_TEMPLATES[key],
            templateVariables({ company, jobTitle: role, contactName: contact, jobUrl: null, senderName: sender, openedLinkTypes: opened, bookingUrl: booking, offeredTimes }),
          );
          const text = `${out.subject}\n${out.body}`;
          expect(findTrackingWords(text)).toEqual([]);
          expect(text).not.toMatch(/\{\{|\}\}/);
          expect(out.body).toContain(company);
          expect(text).toContain(role);
          expect(out.body.startsWith(contact ? `Hi ${contact.split(/\s+/u)[0]},\n\n` : 'Hello,\n\n')).toBe(true);
          expect(out.subject).not.toMatch(/[\r\n]/);
          expect(out.body).not.toMatch(/\n{3,}|[ \t]+\n/);
          if (sender) expect(out.body.endsWith(`Best regards,\n${sender}`)).toBe(true);
          if (key === 'interview_preparation' && booking) expect(out.body).toContain(booking);
          if (key === 'booking_not_completed' && offeredTimes) expect(out.body).toContain(`Would either of these work for a short call: ${offeredTimes}?`);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('name what was opened as material the reader may want, in a sentence a person writes', () => {
    const vars = templateVariables({ company: 'Acme', jobTitle: 'SRE', contactName: null, jobUrl: null, senderName: null, openedLinkTypes: ['portfolio', 'calendly', 'github'], bookingUrl: null });
    expect(vars.materials_sentence).toBe("In case it's useful, my portfolio and my GitHub profile have the most recent examples of my work.");
    const one = templateVariables({ company: 'Acme', jobTitle: 'SRE', contactName: null, jobUrl: null, senderName: null, openedLinkTypes: [], bookingUrl: null });
    expect(one.materials_sentence).toBe("In case it's useful, my resume has the most recent examples of my work.");
  });

  it('the word scan catches what would give tracking away', () => {
    expect(findTrackingWords('I saw you clicked my portfolio on Saturday')).toEqual(['clicked', 'saw', 'Saturday']);
    expect(findTrackingWords('Thanks for opening my resume; our analytics show interest in my work')).toEqual(['opening', 'analytics', 'interest in my']);
    expect(findTrackingWords('I look forward to speaking with you.')).toEqual([]);
  });
});

describe('two concrete meeting times (booking_not_completed drafts)', () => {
  const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Pacific/Auckland', 'Australia/Lord_Howe', 'Not/AZone'];
  const weekdayIn = (d: Date, zone: string) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'long' }).format(d);
  const hourIn = (d: Date, zone: string) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);

  it('the next two working days after today, 10:00 then 14:00 in the person\'s zone, named in words', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }), fc.constantFrom(...ZONES), (now, asked) => {
        const offer = proposeMeetingTimes(now, asked);
        const zone = asked === 'Not/AZone' ? 'UTC' : asked;
        expect(offer.zone).toBe(zone);
        expect(offer.times).toHaveLength(2);
        const [first, second] = offer.times;
        expect(first.getTime()).toBeGreaterThan(now.getTime());
        expect(second.getTime()).toBeGreaterThan(first.getTime());
        // At most a weekend and two working days ahead.
        expect(second.getTime() - now.getTime()).toBeLessThanOrEqual(5 * DAY_MS);
        for (const [t, hour] of [[first, '10:00'], [second, '14:00']] as const) {
          expect(['Saturday', 'Sunday']).not.toContain(weekdayIn(t, zone));
          expect(hourIn(t, zone)).toBe(hour);
          expect(offer.words).toContain(`${weekdayIn(t, zone)} ${new Intl.DateTimeFormat('en-GB', { timeZone: zone, day: 'numeric' }).format(t)} `);
        }
        expect(offer.words.endsWith(zone === 'UTC' ? '(UTC)' : `(${zone} time)`)).toBe(true);
        expect(findTrackingWords(offer.words)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('from a Friday afternoon: Monday 10:00 and Tuesday 14:00', () => {
    const offer = proposeMeetingTimes(new Date('2026-12-04T15:00:00Z'), 'Europe/Berlin');
    expect(offer.times.map((d) => d.toISOString())).toEqual(['2026-12-07T09:00:00.000Z', '2026-12-08T13:00:00.000Z']);
    expect(offer.words).toBe('Monday 7 December at 10:00 or Tuesday 8 December at 14:00 (Europe/Berlin time)');
  });
});

describe('follow-up cadence (pure)', () => {
  const DAY = 86_400_000;
  it('at most two offers since the last change, at least 3 days apart, unless asked', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 * DAY }), { maxLength: 4 }), fc.boolean(), (agesMs, asked) => {
        const now = new Date('2026-03-10T12:00:00Z');
        const offered = agesMs.map((a) => new Date(now.getTime() - a));
        const d = decideFollowUpOffer(offered, now, asked);
        const expected = asked || (offered.length < 2 && agesMs.every((a) => a >= 3 * DAY));
        expect(d.offer).toBe(expected);
      }),
    );
  });
});

describeEachEngine('stored templates', (engine) => {
  const t = useTestApp(engine);
  it('a saved version replaces the default for new drafts; unknown variables are refused; revealing words get a warning', async () => {
    const client = api(t().app);
    const list = await client.get('/api/templates');
    expect(list.json.templates.map((x: { key: string }) => x.key)).toEqual([...TEMPLATE_KEYS]);
    expect(list.json.templates[0]).toMatchObject({ key: 'high_engagement_followup', version: 0, is_default: true });

    const bad = await client.put('/api/templates/check_in', { subject: 'Hi {{nam}}', body: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/^subject names unknown variables: nam/);
    expect((await client.put('/api/templates/nope', { subject: 'a', body: 'b' })).status).toBe(400);

    const saved = await client.put('/api/templates/check_in', { subject: 'About {{role}}', body: '{{greeting}}\n\nI noticed you were busy. Any news on {{role}} at {{company}}?\n\n{{sender_name}}' });
    expect(saved.status, saved.body).toBe(200);
    expect(saved.json).toMatchObject({ key: 'check_in', version: 1, is_default: false, warnings: ['noticed'] });
    const again = await client.put('/api/templates/check_in', { subject: 'About {{role}} at {{company}}', body: '{{greeting}}\n\nAny news on {{role}}?' });
    expect(again.json.version).toBe(2);

    const s = await createScenario(t().app, { company: "Ben & Jerry's", job_title: 'Flavour Engineer', contact_name: 'Ünal Yılmaz' });
    const draft = await client.post(`/api/applications/${s.id}/drafts`, { template: 'check_in' });
    expect(draft.json).toMatchObject({ subject: "About Flavour Engineer at Ben & Jerry's", body: 'Hi Ünal,\n\nAny news on Flavour Engineer?', template: { key: 'check_in', version: 2 } });
  });
});
