import { createHash } from 'node:crypto';
import { constants, cpSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listMigrations, MIGRATIONS_DIR } from './migrate.js';

/**
 * A prebuilt, migrated PGlite data directory, made by `npm run build` (build-pglite-template.ts)
 * from the migrations present at build time. A new embedded data directory starts as a copy of
 * it: creating one from nothing runs initdb in a second WASM instance and every migration, which
 * takes seconds and doubles the memory for that start. migrate() then applies only what is newer.
 * The manifest next to it says what it holds; it is written last, so a template without one is
 * incomplete and never used.
 */
export const PGLITE_TEMPLATE_DIR = fileURLToPath(new URL('../../dist/pglite-template', import.meta.url));

export interface TemplateManifest {
  /** The PGlite version that wrote the files: another version may not read them. */
  pglite: string;
  migrations: { name: string; sha256: string }[];
}

const manifestPath = (templateDir: string) => `${templateDir}.json`;

export function installedPgliteVersion(): string {
  // The package does not export its package.json: find it next to the resolved entry point.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  return (JSON.parse(readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/** Name and content hash of each migration in dir, or of the named ones only. */
export async function hashMigrations(dir: string, names?: string[]): Promise<TemplateManifest['migrations']> {
  const files = names ?? (await listMigrations(dir));
  return Promise.all(
    files.map(async (name) => ({ name, sha256: createHash('sha256').update(await readFile(path.join(dir, name))).digest('hex') })),
  );
}

export function readManifest(templateDir: string): TemplateManifest | undefined {
  try {
    return JSON.parse(readFileSync(manifestPath(templateDir), 'utf8')) as TemplateManifest;
  } catch {
    return undefined;
  }
}

export function writeManifest(templateDir: string, manifest: TemplateManifest): void {
  writeFileSync(manifestPath(templateDir), JSON.stringify(manifest, null, 2) + '\n');
}

export function removeManifest(templateDir: string): void {
  rmSync(manifestPath(templateDir), { force: true });
}

/**
 * The template's manifest when it may seed a data directory: written by the installed PGlite,
 * and each migration it holds still on disk unchanged (a migration edited after the build would
 * otherwise count as applied with its old text). Undefined when it may not.
 */
export async function fittingManifest(templateDir: string, migrationsDir = MIGRATIONS_DIR): Promise<TemplateManifest | undefined> {
  const manifest = readManifest(templateDir);
  if (!manifest || manifest.pglite !== installedPgliteVersion()) return undefined;
  try {
    const onDisk = await hashMigrations(migrationsDir, manifest.migrations.map((m) => m.name));
    return onDisk.every((m, i) => m.sha256 === manifest.migrations[i].sha256) ? manifest : undefined;
  } catch {
    return undefined; // one of them is gone
  }
}

function isMissingOrEmpty(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  }
}

/**
 * Makes a new data directory a copy of the template, when dataDir is missing or empty and the
 * template fits. The copy goes to a staging folder renamed into place at the end, so a crash
 * halfway leaves no half-made data directory behind. The caller holds the data dir lock.
 * Returns whether it seeded dataDir.
 */
export async function seedDataDir(dataDir: string, templateDir = PGLITE_TEMPLATE_DIR): Promise<boolean> {
  if (!isMissingOrEmpty(dataDir)) return false;
  const manifest = await fittingManifest(templateDir);
  if (!manifest) return false;
  const staging = `${dataDir}.seeding`;
  rmSync(staging, { recursive: true, force: true }); // left by a start that died while copying
  cpSync(templateDir, staging, { recursive: true, mode: constants.COPYFILE_FICLONE });
  // A build replacing the template meanwhile removes the manifest first: then the copy is suspect.
  if (JSON.stringify(readManifest(templateDir)) !== JSON.stringify(manifest)) {
    rmSync(staging, { recursive: true, force: true });
    return false;
  }
  try {
    rmdirSync(dataDir); // an empty directory would make the rename fail
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  renameSync(staging, dataDir);
  return true;
}
