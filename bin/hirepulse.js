#!/usr/bin/env node
// Entry point of `npm start`, `npm run cli` and `npx hirepulse`: the compiled CLI, built by
// `npm install` (the prepare script) or `npm run build`, never at start.
import { existsSync, statSync } from 'node:fs';
import module from 'node:module';

// Node 22.1+ keeps V8's compiled code of our modules and dependencies on disk between starts
// (in the OS temp folder): a restart then skips most of the parsing. Older Node: nothing.
module.enableCompileCache?.();

const compiled = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(compiled)) {
  process.stderr.write('hirepulse: the compiled service (dist/) is missing: run `npm run build` first\n');
  process.exit(1);
}
// The same CLI bundled into one file by `npm run build` (scripts/bundle-service.mjs) starts
// faster; used unless it is missing or older than the compiled files (a `tsc` since the build).
const bundle = new URL('../dist/bundle/hirepulse.js', import.meta.url);
const fresh = (file) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? -1;
const cli = fresh(bundle) >= fresh(compiled) ? bundle : compiled;
import(cli.href).catch((err) => {
  process.stderr.write(`hirepulse: cannot load the compiled CLI (${err.message.split('\n')[0]}); run \`npm run build\` first\n`);
  process.exit(1);
});
