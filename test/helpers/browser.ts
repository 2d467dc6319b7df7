import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startService, type RunningService } from '../../src/main.js';
import { freePort } from './service-process.js';
import { TEST_API_KEY } from './test-app.js';

/** Debian's chromium; CHROMIUM_PATH points elsewhere. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags the project runs Chromium with: headless, no sandbox (root in CI), nothing phoning home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * A fresh browser profile (its own --user-data-dir). Without Chromium the browser tests fail
 * with one line that says how to install it: they never skip silently.
 */
export async function launchBrowser(options: { viewport?: { width: number; height: number } } = {}): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`apt-get update && apt-get install -y chromium\` (or set CHROMIUM_PATH)`);
  }
  const profile = mkdtempSync(path.join(tmpdir(), 'hirepulse-chromium-'));
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: options.viewport ?? { width: 1280, height: 900 },
    timeout: 60_000,
  });
}

/** A port nobody listens on right now (the service needs it before it starts, for PUBLIC_BASE_URL). */
export { freePort };

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core on the page as it is now: no serious or critical violation. Injected through the
 * DevTools protocol (page.evaluate), so the page's own CSP stays strict.
 */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `${label}: ${JSON.stringify(serious, null, 2)}`).toEqual([]);
}

export const SCREENSHOT_DIR = path.resolve('test-results', 'screenshots');

/** test-results/screenshots/<name>.png, the whole page (or only what the window shows). */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: options.fullPage ?? true });
}

/** The real service (PGlite in a temp folder) for a browser test, on a free loopback port. */
export interface DashboardService {
  service: RunningService;
  base: string;
  /** A request as a script would make it, with the API key. */
  apiAsScript(url: string, init?: RequestInit): Promise<Response>;
  /** Signs `page` in through the sign-in form and waits for Today. */
  signIn(page: Page): Promise<void>;
}

/**
 * Starts the service the way `npm start` does (PGlite in a fresh folder, the test key), with
 * the workers quick and the rate limit off; `env` adds or overrides variables.
 */
export async function startDashboardService(env: Record<string, string> = {}): Promise<DashboardService> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const service = await startService(
    loadConfig({
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: base,
      HIREPULSE_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'hirepulse-browser-')),
      WEBHOOK_API_KEY: TEST_API_KEY,
      IP_HASH_SECRET: 'test-ip-hash-secret-0123456789',
      HIREPULSE_RECALC_DELAY_MS: '300',
      HIREPULSE_FULL_RUN_INTERVAL_MS: '0',
      HIREPULSE_API_RATE_LIMIT: '0',
      LOG_LEVEL: 'silent',
      ...env,
    }),
  );
  return {
    service,
    base,
    apiAsScript: (url, init = {}) =>
      fetch(`${base}${url}`, { ...init, headers: { 'x-api-key': TEST_API_KEY, 'content-type': 'application/json', ...(init.headers ?? {}) } }),
    async signIn(page) {
      await page.goto(base + '/');
      await page.getByLabel('API key').fill(TEST_API_KEY);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Today' }).waitFor();
    },
  };
}
