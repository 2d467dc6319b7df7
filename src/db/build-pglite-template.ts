import { mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { acquireDataDirLock } from './data-dir-lock.js';
import { MIGRATIONS_DIR, migrate } from './migrate.js';
import { openPgliteDatabase } from './pglite-database.js';
import {
  hashMigrations,
  installedPgliteVersion,
  PGLITE_TEMPLATE_DIR,
  readManifest,
  removeManifest,
  writeManifest,
  type TemplateManifest,
} from './pglite-template.js';

const sameManifest = (a: TemplateManifest | undefined, b: TemplateManifest) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Builds the prebuilt data directory (pglite-template.ts) from every migration in migrationsDir,
 * unless the one in place already holds exactly these migrations for this PGlite.
 * Returns whether it built one.
 */
export async function buildPgliteTemplate(templateDir = PGLITE_TEMPLATE_DIR, migrationsDir = MIGRATIONS_DIR): Promise<boolean> {
  const manifest: TemplateManifest = { pglite: installedPgliteVersion(), migrations: await hashMigrations(migrationsDir) };
  if (sameManifest(readManifest(templateDir), manifest)) return false;

  mkdirSync(path.dirname(templateDir), { recursive: true });
  const release = acquireDataDirLock(`${templateDir}.lock`); // two builds at once (npm run bench and a test)
  try {
    const building = `${templateDir}.building`;
    rmSync(building, { recursive: true, force: true });
    const db = await openPgliteDatabase(building, { template: false });
    try {
      const { applied } = await migrate(db, migrationsDir);
      if (applied.length !== manifest.migrations.length) throw new Error(`applied ${applied.length} of ${manifest.migrations.length} migrations`);
      await db.exec('CHECKPOINT'); // data files current: a copy starts without replaying WAL
    } finally {
      await db.close();
    }
    // The manifest goes first and comes back last: a template without one is never used.
    removeManifest(templateDir);
    rmSync(templateDir, { recursive: true, force: true });
    renameSync(building, templateDir);
    writeManifest(templateDir, manifest);
    return true;
  } finally {
    release();
  }
}

const isEntryPoint = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isEntryPoint) {
  // Run by `npm run build`. Without a template the service still starts, only slower the first
  // time: a failure here warns instead of failing the install.
  const started = Date.now();
  buildPgliteTemplate().then(
    (built) => {
      const where = path.relative(process.cwd(), PGLITE_TEMPLATE_DIR);
      process.stdout.write(
        built
          ? `prebuilt embedded database: ${where} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`
          : `prebuilt embedded database: ${where} is up to date\n`,
      );
    },
    (err: Error) => {
      process.stderr.write(
        `hirepulse: warning: could not prebuild the embedded database (${err.message}); ` +
          'a new data directory will be created at its first start instead (slower)\n',
      );
    },
  );
}
