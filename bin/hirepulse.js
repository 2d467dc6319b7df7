#!/usr/bin/env node
// Entry point of `npm start`, `npm run cli` and `npx hirepulse`: the compiled CLI, built by
// `npm install` (the prepare script) or `npm run build`, never at start.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('hirepulse: the compiled service (dist/) is missing: run `npm run build` first\n');
  process.exit(1);
}
import(cli.href).catch((err) => {
  process.stderr.write(`hirepulse: cannot load the compiled CLI (${err.message.split('\n')[0]}); run \`npm run build\` first\n`);
  process.exit(1);
});
