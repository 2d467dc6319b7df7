// Bundles the compiled CLI (dist/cli/main.js, what `npm start` runs) into one ES module,
// dist/bundle/hirepulse.js, at build time. Node then reads one file instead of resolving and
// loading ~900 (our modules, Fastify's, TypeBox's): about half the CPU of a start's imports
// (docs/benchmarks.md, footprint). bin/hirepulse.js prefers the bundle and falls back to
// dist/cli/main.js when the bundle is missing or older than it.
//
// Left outside the bundle: packages that read files next to their own code (PGlite's WASM and
// data, Swagger UI's pages, the ASN table's CSV) or that load only when used (pg with
// DATABASE_URL, nodemailer, csv-parse). The bundle sits two folders below the package root, as
// every module of dist/ does, so their paths to migrations/ and dist/ stay right.
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const entry = path.join(root, 'dist', 'cli', 'main.js');
const outfile = path.join(root, 'dist', 'bundle', 'hirepulse.js');

await build({
  absWorkingDir: root,
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: `node${process.versions.node.split('.')[0]}`,
  sourcemap: 'linked',
  external: ['@electric-sql/pglite', 'pg', 'nodemailer', 'csv-parse', '@fastify/swagger', '@fastify/swagger-ui', '@ip-location-db/asn'],
  // CommonJS packages inside an ES module still call require() for Node's own modules.
  banner: { js: "import { createRequire as __hirepulseCreateRequire } from 'node:module'; const require = __hirepulseCreateRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});
process.stdout.write(`bundle: dist/bundle/hirepulse.js (${(statSync(outfile).size / 2 ** 20).toFixed(1)} MB)\n`);
