import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bundled dashboard as `npm run build` leaves it (dist/web), read once into memory. */
export interface WebAssets {
  indexHtml: Buffer;
  /** file name under /assets/ → content and type; only these names are ever served. */
  files: Map<string, { body: Buffer; type: string }>;
}

/** dist/web of this package, whether this module runs compiled (dist/) or from source (src/). */
export const DEFAULT_WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'web');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** Returns null when the dashboard was not built (the service still runs; `/` says how to build it). */
export function loadWebAssets(dir: string = DEFAULT_WEB_DIR): WebAssets | null {
  const index = path.join(dir, 'index.html');
  if (!existsSync(index)) return null;
  const files = new Map<string, { body: Buffer; type: string }>();
  const assetsDir = path.join(dir, 'assets');
  if (existsSync(assetsDir)) {
    for (const name of readdirSync(assetsDir)) {
      const type = TYPES[path.extname(name)];
      if (type) files.set(name, { body: readFileSync(path.join(assetsDir, name)), type });
    }
  }
  return { indexHtml: readFileSync(index), files };
}
