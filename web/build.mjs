// Bundles the dashboard (web/src) into dist/web at build time: one JS and one CSS file with
// content hashes in their names (cached for a year), and index.html that names them. Nothing
// is fetched from another host at run time; the service serves these files itself.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outDir = path.join(root, 'dist', 'web');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(path.join(outDir, 'assets'), { recursive: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: { app: 'web/src/main.tsx' },
  bundle: true,
  minify: true,
  sourcemap: 'linked',
  format: 'esm',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: path.join(outDir, 'assets'),
  entryNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((file) => path.basename(file));
const js = outputs.find((f) => /^app-.*\.js$/.test(f));
const css = outputs.find((f) => /^app-.*\.css$/.test(f));
if (!js || !css) throw new Error(`web build: expected app-*.js and app-*.css, got ${outputs.join(', ')}`);

const template = readFileSync(path.join(root, 'web', 'index.html'), 'utf8');
writeFileSync(path.join(outDir, 'index.html'), template.replace('{{css}}', `/assets/${css}`).replace('{{js}}', `/assets/${js}`));
writeFileSync(path.join(outDir, 'manifest.json'), JSON.stringify({ js, css }, null, 2) + '\n');
process.stdout.write(`web: dist/web/assets/${js}, ${css}\n`);
