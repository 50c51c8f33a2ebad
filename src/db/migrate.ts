// Applies prisma/migrations to a database, exactly as `prisma migrate deploy` would (see schema-engine.ts).
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MIGRATIONS_DIR, withSchemaEngine } from './schema-engine.ts';

const LOCKFILE = 'migration_lock.toml';

export async function readMigrations(root: string) {
  const baseDir = resolve(root, MIGRATIONS_DIR);
  const entries = await readdir(baseDir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const migrationDirectories = await Promise.all(
    names.map(async (path) => ({
      path,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok' as const, value: await readFile(join(baseDir, path, 'migration.sql'), 'utf8') },
      },
    })),
  );
  const lockContent = await readFile(join(baseDir, LOCKFILE), 'utf8').catch(() => null);
  return {
    baseDir,
    lockfile: { path: LOCKFILE, content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

export const NO_FILTERS = { externalTables: [], externalEnums: [] };

/** Applies every migration not yet recorded in `_prisma_migrations`; returns the names it applied. */
export async function migrate(connectionString: string, root = process.cwd()): Promise<string[]> {
  const migrationsList = await readMigrations(root);
  return withSchemaEngine(connectionString, null, async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
    return appliedMigrationNames;
  });
}
