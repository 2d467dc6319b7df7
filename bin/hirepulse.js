#!/usr/bin/env node
// Entry point of `npx hirepulse`: the compiled CLI (built by `npm install` through the prepare script).
import('../dist/cli/main.js').catch((err) => {
  process.stderr.write(`hirepulse: cannot load the compiled CLI (${err.message}); run \`npm run build\` first\n`);
  process.exit(1);
});
