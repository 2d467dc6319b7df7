import { describe, expect, it } from 'vitest';
import { isbot } from 'isbot';
import { LINK_TYPES } from '../../src/domain.js';
import {
  BOOKING_HOSTS,
  BURST_REASON,
  EXTRA_BOT_UA_PATTERNS,
  HEAD_REQUEST_REASON,
  MAIL_GATEWAY_REFERRER_HOSTS,
  MAX_TARGET_URL_LENGTH,
  classifyReferrer,
  classifyUserAgent,
  findScannerBursts,
  hashIp,
  isBookingLink,
  isWellFormedTrackingId,
  newTrackingId,
  parseIp,
  validateTargetUrl,
} from '../../src/tracking/rules/index.js';

const HOSTILE_STRINGS = [
  "' OR 1=1; DROP TABLE clicks; --",
  'Robert"); DELETE FROM job_applications;--',
  '😀🤖👩‍💻',
  'a\u0000b',
  '\u0000',
  'x'.repeat(10_000),
  '\uD800',
  '../../etc/passwd',
  '<script>alert(1)</script>',
];

const BROWSERS = {
  chrome:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  safariIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
  firefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
  edge: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0',
  linkedinInApp:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.29.6',
};

describe('classifyUserAgent', () => {
  it.each(Object.entries(BROWSERS))('lets a human browser through (%s)', (_name, ua) => {
    expect(classifyUserAgent(ua)).toBeNull();
  });

  it.each([undefined, null, '', '   ', '\t'])('treats a missing user agent (%j) as a bot', (ua) => {
    expect(classifyUserAgent(ua)).toBe('user_agent:missing');
  });

  // Caught by isbot itself: kept here so a regression in isbot is noticed.
  it.each([
    'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
    'Twitterbot/1.0',
    'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
    'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
    'WhatsApp/2.23.20.0 A',
    'TelegramBot (like TwitterBot)',
    'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
    'Mozilla/5.0 (compatible; Google-Safety; +http://www.google.com/bot.html)',
    'Barracuda Sentinel (EE)',
    'Proofpoint URL Defense',
    'Mimecast-URL-Protect',
    'Microsoft Office Existence Discovery',
    'python-requests/2.31.0',
    'curl/8.4.0',
    'Go-http-client/1.1',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36',
  ])('flags %s (via isbot)', (ua) => {
    expect(isbot(ua)).toBe(true);
    const reason = classifyUserAgent(ua);
    expect(reason).toMatch(/^user_agent:.+/);
  });

  // Missed by isbot@5: these are why EXTRA_BOT_UA_PATTERNS exists.
  it.each([
    ['Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.12026; Pro)', 'user_agent:Microsoft Office/'],
    ['Mozilla/4.0 (compatible; ms-office; MSOffice 16)', 'user_agent:ms-office'],
    ['Mozilla/5.0 (compatible; Barracuda Networks)', 'user_agent:Barracuda'],
    ['Mozilla/5.0 (compatible; proofpoint)', 'user_agent:proofpoint'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) Mimecast', 'user_agent:Mimecast'],
  ])('flags %s (isbot misses it)', (ua, reason) => {
    expect(isbot(ua)).toBe(false);
    expect(classifyUserAgent(ua)).toBe(reason);
  });

  it('documents each extra pattern', () => {
    expect(EXTRA_BOT_UA_PATTERNS.length).toBeGreaterThan(0);
    for (const p of EXTRA_BOT_UA_PATTERNS) {
      expect(p.name).not.toBe('');
      expect(p.why).not.toBe('');
      expect(Object.values(BROWSERS).some((ua) => p.pattern.test(ua))).toBe(false);
    }
  });

  it('uses the matched fragment in the reason', () => {
    expect(classifyUserAgent('curl/8.4.0')).toBe('user_agent:curl/8.4.0');
  });

  it.each(HOSTILE_STRINGS)('returns a short printable reason or null for hostile input %#', (ua) => {
    const reason = classifyUserAgent(ua);
    if (reason !== null) {
      expect(reason.startsWith('user_agent:')).toBe(true);
      expect(reason.length).toBeLessThanOrEqual('user_agent:'.length + 64 * 2);
      expect(reason).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      expect(reason).not.toMatch(/\p{Cs}/u);
    }
  });

  it('is fast on a 10 000-character browser-like user agent', () => {
    const ua = `${BROWSERS.chrome} ${'é '.repeat(5000)}`;
    const start = performance.now();
    classifyUserAgent(ua);
    expect(performance.now() - start).toBeLessThan(200);
  });

  it('exports the HEAD reason used by the redirect route', () => {
    expect(HEAD_REQUEST_REASON).toBe('head_request');
  });
});

describe('classifyReferrer', () => {
  it.each([
    ['https://nam02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fx', 'referrer:nam02.safelinks.protection.outlook.com'],
    ['https://urldefense.com/v3/__https://x__;!!abc', 'referrer:urldefense.com'],
    ['https://urldefense.proofpoint.com/v2/url?u=https-3A__x', 'referrer:urldefense.proofpoint.com'],
    ['https://linkprotect.cudasvc.com/url?a=https%3a%2f%2fx', 'referrer:linkprotect.cudasvc.com'],
    ['https://protect2.fireeye.com/v1/url?k=abc', 'referrer:protect2.fireeye.com'],
    ['https://url.uk.m.mimecastprotect.com/s/abc', 'referrer:url.uk.m.mimecastprotect.com'],
    ['HTTPS://URLDEFENSE.COM./v3/x', 'referrer:urldefense.com'],
    ['urldefense.com/v3/x', 'referrer:urldefense.com'],
  ])('flags %s', (ref, reason) => {
    expect(classifyReferrer(ref)).toBe(reason);
  });

  it.each([
    undefined,
    null,
    '',
    'https://www.linkedin.com/',
    'https://mail.google.com/',
    'https://outlook.office.com/mail/',
    'https://noturldefense.com/',
    'https://urldefense.com.evil.example/',
    'https://evil.example/?u=urldefense.com',
    'javascript:alert(1)',
    'ftp://urldefense.com/',
    ...HOSTILE_STRINGS,
  ])('does not flag %j', (ref) => {
    expect(classifyReferrer(ref)).toBeNull();
  });

  it('lists hosts in lower case', () => {
    for (const h of MAIL_GATEWAY_REFERRER_HOSTS) expect(h).toBe(h.toLowerCase());
  });
});

describe('findScannerBursts (examples)', () => {
  const at = (ms: number) => new Date(Date.UTC(2024, 0, 1) + ms);

  it('marks every click of three links opened within 2 s, whatever came first', () => {
    const clicks = [
      { id: 'human-earlier', linkId: 'resume', clickedAt: at(-60_000) },
      { id: 'a', linkId: 'resume', clickedAt: at(0) },
      { id: 'b', linkId: 'github', clickedAt: at(700) },
      { id: 'c', linkId: 'calendly', clickedAt: at(1500) },
      { id: 'd', linkId: 'resume', clickedAt: at(1900) },
      { id: 'human-later', linkId: 'github', clickedAt: at(60_000) },
    ];
    expect([...findScannerBursts(clicks)].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(BURST_REASON).toBe('scanner_burst');
  });

  it('counts clicks exactly 2000 ms apart as inside the window, 2001 ms as outside', () => {
    const three = (gap: number) => [
      { id: 'a', linkId: 'l1', clickedAt: at(0) },
      { id: 'b', linkId: 'l2', clickedAt: at(gap / 2) },
      { id: 'c', linkId: 'l3', clickedAt: at(gap) },
    ];
    expect(findScannerBursts(three(2000)).size).toBe(3);
    expect(findScannerBursts(three(2001)).size).toBe(0);
  });

  it('needs different links: the same link opened many times is not a burst', () => {
    const clicks = Array.from({ length: 10 }, (_, i) => ({ id: `c${i}`, linkId: 'resume', clickedAt: at(i) }));
    expect(findScannerBursts(clicks).size).toBe(0);
  });

  it('two different links are not enough by default', () => {
    const clicks = [
      { id: 'a', linkId: 'l1', clickedAt: at(0) },
      { id: 'b', linkId: 'l2', clickedAt: at(10) },
    ];
    expect(findScannerBursts(clicks).size).toBe(0);
  });

  it('handles simultaneous clicks and an empty list', () => {
    expect(findScannerBursts([]).size).toBe(0);
    const same = ['l1', 'l2', 'l3'].map((linkId, i) => ({ id: `c${i}`, linkId, clickedAt: at(0) }));
    expect(findScannerBursts(same).size).toBe(3);
  });

  it('ignores clicks with an invalid date', () => {
    const clicks = [
      { id: 'a', linkId: 'l1', clickedAt: at(0) },
      { id: 'b', linkId: 'l2', clickedAt: new Date('nope') },
      { id: 'c', linkId: 'l3', clickedAt: at(5) },
    ];
    expect(findScannerBursts(clicks).size).toBe(0);
  });

  it('rejects nonsense parameters', () => {
    expect(() => findScannerBursts([], -1)).toThrow(RangeError);
    expect(() => findScannerBursts([], Number.NaN)).toThrow(RangeError);
    expect(() => findScannerBursts([], 2000, 0)).toThrow(RangeError);
    expect(() => findScannerBursts([], 2000, 2.5)).toThrow(RangeError);
  });

  it('stays fast on 100 000 clicks', () => {
    const clicks = Array.from({ length: 100_000 }, (_, i) => ({
      id: `c${i}`,
      linkId: `l${i % 7}`,
      clickedAt: at((i * 7919) % 10_000_000),
    }));
    const start = performance.now();
    findScannerBursts(clicks);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});

describe('validateTargetUrl', () => {
  const OWN = 'http://localhost:5000';

  it.each([
    ['https://example.com/resume.pdf', 'https://example.com/resume.pdf'],
    ['HTTPS://Example.COM', 'https://example.com/'],
    ['http://example.com:80/a', 'http://example.com/a'],
    ['https://github.com/me?tab=repositories#top', 'https://github.com/me?tab=repositories#top'],
    ['https://bücher.example/ä', 'https://xn--bcher-kva.example/%C3%A4'],
    ['https://example.com/😀', 'https://example.com/%F0%9F%98%80'],
    ['http://[2001:db8::1]:8080/x', 'http://[2001:db8::1]:8080/x'],
    ['http://localhost:5000/resume', 'http://localhost:5000/resume'],
    ['http://localhost:5000/track/x', 'http://localhost:5000/track/x'],
    ['https://example.com/t/abc', 'https://example.com/t/abc'],
    ["https://example.com/?q='%20OR%201=1;--", "https://example.com/?q=%27%20OR%201=1;--"],
  ])('accepts %s', (raw, href) => {
    expect(validateTargetUrl(raw, OWN)).toEqual({ ok: true, url: href });
  });

  const refused: [string, unknown, RegExp][] = [
    ['javascript:', 'javascript:alert(1)', /absolute http or https/],
    ['mixed-case javascript:', 'JaVaScRiPt:alert(1)', /absolute http or https/],
    ['data:', 'data:text/html,<script>alert(1)</script>', /absolute http or https/],
    ['file:', 'file:///etc/passwd', /absolute http or https/],
    ['ftp:', 'ftp://example.com/x', /absolute http or https/],
    ['relative path', '/resume.pdf', /absolute http or https/],
    ['bare host', 'example.com', /absolute http or https/],
    ['protocol-relative', '//evil.example/x', /absolute http or https/],
    ['scheme without slashes', 'http:evil.example', /absolute http or https/],
    ['backslashes', 'http:\\\\evil.example', /absolute http or https/],
    ['triple slash', 'http:///evil.example', /absolute http or https/],
    ['leading NUL', '\u0000http://x', /control characters/],
    ['leading space', ' http://x', /whitespace/],
    ['trailing newline', 'http://x\n', /whitespace/],
    ['CR LF injection', 'http://x/\r\nSet-Cookie: a=b', /whitespace/],
    ['tab in scheme', 'java\tscript:alert(1)', /whitespace/],
    ['DEL', 'http://x/\u007f', /control characters/],
    ['C1 control', 'http://x/\u0085', /control characters/],
    ['C1 control 0x9f', 'http://x/\u009f', /control characters/],
    ['no-break space', 'http://x/\u00a0', /whitespace/],
    ['bidi override', 'https://example.com/\u202Efdp.exe', /control characters/],
    ['lone surrogate', 'https://example.com/\uD800', /valid Unicode/],
    ['credentials', 'http://user:pass@x.com', /credentials/],
    ['username only', 'https://user@x.com/', /credentials/],
    ['empty', '', /must not be empty/],
    ['no host', 'http://', /absolute http or https/],
    ['invalid IPv4 host', 'http://999.1.1.1/', /not a valid URL/],
    ['bad port', 'http://x.com:99999/', /not a valid URL/],
    ['too long', `https://example.com/${'a'.repeat(MAX_TARGET_URL_LENGTH)}`, /at most 2048/],
    ['10 000 chars', 'x'.repeat(10_000), /at most 2048/],
    ['number', 42, /must be a string/],
    ['null', null, /must be a string/],
    ['object', { href: 'https://x.com' }, /must be a string/],
    ['SQL fragment', "'; DROP TABLE tracked_links; --", /whitespace|absolute/],
    ['emoji only', '😀', /absolute http or https/],
  ];
  it.each(refused)('refuses %s', (_name, raw, message) => {
    const r = validateTargetUrl(raw, OWN);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toMatch(/^target_url /);
      expect(r.message).toMatch(message);
    }
  });

  it('refuses a URL that is only too long once normalized', () => {
    const raw = `https://example.com/${'ä'.repeat(1000)}`; // each ä becomes %C3%A4
    expect(raw.length).toBeLessThanOrEqual(MAX_TARGET_URL_LENGTH);
    const r = validateTargetUrl(raw, OWN);
    expect(r).toEqual({ ok: false, message: 'target_url must be at most 2048 characters' });
  });

  it('accepts exactly 2048 characters', () => {
    const prefix = 'https://example.com/';
    const raw = prefix + 'a'.repeat(MAX_TARGET_URL_LENGTH - prefix.length);
    expect(validateTargetUrl(raw, OWN)).toEqual({ ok: true, url: raw });
  });

  describe('links back to our own tracking path', () => {
    it.each([
      ['http://localhost:5000/t/abc', 'http://localhost:5000'],
      ['HTTP://LOCALHOST:5000/t/abc', 'http://localhost:5000'],
      ['http://localhost:5000/t/', 'http://localhost:5000/'],
      ['http://localhost:5000/t', 'http://localhost:5000'],
      ['http://localhost:5000/./t/abc', 'http://localhost:5000'],
      ['http://localhost:5000//t/abc', 'http://localhost:5000'],
      ['http://localhost:5000/%74/abc', 'http://localhost:5000'],
      ['http://localhost:5000/T/abc', 'http://localhost:5000'],
      ['http://127.0.0.1:5000/t/abc', 'http://localhost:5000'],
      ['http://[::1]:5000/t/abc', 'http://[::1]:5000'],
      ['http://[0:0:0:0:0:0:0:1]:5000/t/abc', 'http://[::1]:5000'],
      // Decision: same host on another port or scheme counts as ours too.
      ['https://localhost/t/abc', 'http://localhost:5000'],
      ['http://localhost:8080/t/abc', 'http://localhost:5000'],
      ['https://go.hirepulse.example/t/abc', 'https://go.hirepulse.example'],
      ['https://go.hirepulse.example./t/abc', 'https://go.hirepulse.example'],
      ['https://go.hirepulse.example/hp/t/abc', 'https://go.hirepulse.example/hp/'],
    ])('refuses %s (own base %s)', (raw, own) => {
      expect(validateTargetUrl(raw, own)).toEqual({
        ok: false,
        message: 'target_url must not point to a hirepulse tracking link',
      });
    });

    it.each([
      ['http://[::1]:5000/resume', 'http://[::1]:5000'],
      ['https://other.example/t/abc', 'https://go.hirepulse.example'],
      ['https://sub.go.hirepulse.example/t/abc', 'https://go.hirepulse.example'],
      ['https://go.hirepulse.example/tt/abc', 'https://go.hirepulse.example'],
      ['https://go.hirepulse.example/t/abc', 'https://go.hirepulse.example/hp'],
      ['https://go.hirepulse.example/hp/resume', 'https://go.hirepulse.example/hp'],
    ])('accepts %s (own base %s)', (raw, own) => {
      expect(validateTargetUrl(raw, own).ok).toBe(true);
    });
  });

  it.each(HOSTILE_STRINGS)('never throws on hostile input %#', (raw) => {
    expect(() => validateTargetUrl(raw, OWN)).not.toThrow();
    expect(validateTargetUrl(raw, OWN).ok).toBe(false);
  });
});

describe('isBookingLink', () => {
  it.each([
    'https://calendly.com/me/30min',
    'https://www.calendly.com/me',
    'https://x.calendly.com/me',
    'https://CALENDLY.COM./me',
    'https://cal.com/me',
    'https://savvycal.com/me',
    'https://tidycal.com/me',
    'https://me.youcanbook.me/',
    'https://zcal.co/me',
    'https://doodle.com/bp/me',
    'https://me.acuityscheduling.com/',
    'https://me.as.me/',
    'https://meetings.hubspot.com/me',
    'https://calendar.app.google/AbCdEf',
    'https://calendar.google.com/calendar/appointments/schedules/AcZssZ',
  ])('recognizes %s as a booking page', (url) => {
    expect(isBookingLink('website', url)).toBe(true);
    expect(isBookingLink('other', url)).toBe(true);
  });

  it.each([
    'https://notcalendly.com/me',
    'https://calendly.com.evil.example/me',
    'https://evil.example/calendly.com',
    'https://evil.example/?u=https://calendly.com',
    'https://hubspot.com/',
    'https://calendar.google.com/calendar/u/0/r',
    'https://github.com/me',
    'javascript:alert("calendly.com")',
    'not a url',
    '',
    ...HOSTILE_STRINGS,
  ])('does not treat %j as a booking page', (url) => {
    expect(isBookingLink('website', url)).toBe(false);
  });

  it('always counts a link of type calendly', () => {
    expect(isBookingLink('calendly', 'https://example.com/book')).toBe(true);
    expect(isBookingLink('calendly', 'garbage')).toBe(true);
    for (const t of LINK_TYPES.filter((t) => t !== 'calendly')) {
      expect(isBookingLink(t, 'https://example.com/')).toBe(false);
    }
  });

  it('lists hosts in lower case without scheme or path', () => {
    for (const h of BOOKING_HOSTS) expect(h).toMatch(/^[a-z0-9.-]+$/);
  });
});

describe('tracking ids', () => {
  it('makes 22-character base64url ids that pass the shape check', () => {
    for (let i = 0; i < 1000; i++) {
      const id = newTrackingId();
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(isWellFormedTrackingId(id)).toBe(true);
    }
  });

  it('does not repeat', () => {
    const ids = new Set(Array.from({ length: 10_000 }, newTrackingId));
    expect(ids.size).toBe(10_000);
  });

  it.each([
    '',
    'short',
    'a'.repeat(15),
    'a'.repeat(65),
    'a'.repeat(10_000),
    `${'a'.repeat(22)}\n`,
    `${'a'.repeat(22)}\u0000`,
    `../../${'a'.repeat(20)}`,
    `${'a'.repeat(20)}%2F`,
    `${'a'.repeat(20)}==`,
    "aaaaaaaaaaaaaaaa' OR 1=1 --",
    '😀'.repeat(10),
    ...HOSTILE_STRINGS,
  ])('rejects %j', (s) => {
    expect(isWellFormedTrackingId(s)).toBe(false);
  });

  it('accepts 16 to 64 URL-safe characters', () => {
    expect(isWellFormedTrackingId('a'.repeat(16))).toBe(true);
    expect(isWellFormedTrackingId('A-_9'.repeat(16))).toBe(true);
  });

  it('does not throw on a non-string from untyped callers', () => {
    expect(isWellFormedTrackingId(42 as unknown as string)).toBe(false);
    expect(isWellFormedTrackingId(undefined as unknown as string)).toBe(false);
  });
});

describe('hashIp', () => {
  const SECRET = 'test-secret';

  it('is 32 lower-case hex characters and depends on the secret', () => {
    const h = hashIp('1.2.3.4', SECRET);
    expect(h).toMatch(/^[0-9a-f]{32}$/);
    expect(hashIp('1.2.3.4', 'other-secret')).not.toBe(h);
    expect(hashIp('1.2.3.5', SECRET)).not.toBe(h);
    expect(h).not.toContain('1.2.3.4');
  });

  it.each([
    ['1.2.3.4', '::ffff:1.2.3.4'],
    ['1.2.3.4', '::FFFF:1.2.3.4'],
    ['1.2.3.4', '::ffff:102:304'],
    ['2001:db8::1', '2001:DB8:0:0:0:0:0:1'],
    ['2001:db8::1', '2001:0db8:0000:0000:0000:0000:0000:0001'],
    ['fe80::1', 'fe80::1%eth0'],
    ['1.2.3.4', ' 1.2.3.4 '],
  ])('hashes %s and %s the same', (a, b) => {
    expect(hashIp(a, SECRET)).toBe(hashIp(b, SECRET));
  });

  it('still hashes a value that is not an address', () => {
    for (const s of HOSTILE_STRINGS) expect(hashIp(s, SECRET)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('refuses an empty secret', () => {
    expect(() => hashIp('1.2.3.4', '')).toThrow(TypeError);
  });
});

describe('parseIp', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
    ['::1', '::1'],
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:ff00:0042:8329', '2001:db8::ff00:42:8329'],
  ])('accepts %s as %s', (raw, canonical) => {
    expect(parseIp(raw)).toBe(canonical);
  });

  it.each([
    '1.2.3',
    '999.1.1.1',
    '256.0.0.1',
    '01.2.3.4',
    '0x7f.0.0.1',
    '2130706433',
    'localhost',
    '1.2.3.4/24',
    ' 1.2.3.4',
    '1.2.3.4 ',
    '1.2. 3.4',
    '[::1]',
    'fe80::1%eth0',
    '1::2::3',
    '1.2.3.4:80',
    '',
    42,
    null,
    undefined,
    { ip: '1.2.3.4' },
    ...HOSTILE_STRINGS,
  ])('rejects %j', (raw) => {
    expect(parseIp(raw)).toBeNull();
  });
});
