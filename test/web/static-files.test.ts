import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/test-app.js';

describe('dashboard files and their security headers [pglite]', () => {
  const t = useTestApp('pglite');

  it('serves the page at / and at every dashboard path, with a strict CSP and no inline script', async () => {
    for (const url of ['/', '/today', '/add', '/settings', '/applications/6f1c1b9e-2d7e-4c55-9d1e-0c7a4f0d3b21']) {
      const res = await t().app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      // Every script is a same-origin file: no inline code, nothing from another host.
      const scripts = [...res.body.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBe(1);
      for (const [, attrs, body] of scripts) {
        expect(body.trim()).toBe('');
        expect(attrs).toMatch(/src="\/assets\/app-[A-Z0-9]+\.js"/);
      }
      expect(res.body).not.toMatch(/(src|href)="(https?:)?\/\//);
    }
  });

  it('serves the hashed bundle with a long cache, and 404s (JSON) anything else under /assets', async () => {
    const page = await t().app.inject({ url: '/' });
    const js = /src="(\/assets\/[^"]+)"/.exec(page.body)![1];
    const css = /href="(\/assets\/[^"]+\.css)"/.exec(page.body)![1];
    const script = await t().app.inject({ url: js });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toContain('text/javascript');
    expect(script.headers['cache-control']).toContain('immutable');
    expect((await t().app.inject({ url: css })).headers['content-type']).toContain('text/css');
    for (const url of ['/assets/nope.js', '/assets/..%2F..%2Fpackage.json', '/assets/%2e%2e/index.html']) {
      const res = await t().app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
  });

  it('keeps unknown paths a JSON 404', async () => {
    const res = await t().app.inject({ url: '/nowhere' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });
});
