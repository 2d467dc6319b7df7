import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Builds dist/ once before any test file runs: the CLI and crash tests start the compiled
 * service as `npm start` does, and the dashboard tests serve the bundle `npm run build` puts in
 * dist/web. (Each of them ran tsc into the same dist/ in parallel before.)
 */
export default async function buildOnce(): Promise<void> {
  const result = await new Promise<{ code: number; output: string }>((resolve) => {
    execFile('npm', ['run', 'build'], { cwd: ROOT, timeout: 300_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
  if (result.code !== 0 || !existsSync(path.join(ROOT, 'dist/cli/main.js'))) {
    throw new Error(`npm run build failed (exit ${result.code}):\n${result.output}`);
  }
}
