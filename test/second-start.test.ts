// A second `npm start` on a machine where the inbox already runs must fail at once and leave the first one alone:
// it used to point the shared demo connectors at its own simulated platforms before failing to listen, so the
// first instance's demo went dead for good.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase } from '../src/infra/postgres.ts';

let databaseUrl: string;
let dbName: string;
let busy: Server;
let port: number;

beforeAll(async () => {
  dbName = `inbox_test_second_${randomBytes(4).toString('hex')}`;
  await createDatabase(inject('pgAdminUrl'), dbName, inject('pgTemplate'));
  const u = new URL(inject('pgAdminUrl'));
  u.pathname = `/${dbName}`;
  databaseUrl = u.toString();
  // The first inbox, as far as the port is concerned.
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  port = (busy.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((resolve) => busy.close(resolve));
  await dropDatabase(inject('pgAdminUrl'), dbName);
});

describe('a second npm start', () => {
  it('stops before touching the demo when the port is taken, and says why', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        REDIS_URL: inject('redisUrl'),
        QUEUE_PREFIX: `test-${dbName}`,
        APP_SECRET: 'a'.repeat(64),
        DEMO: 'on',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, output).toBe(1);
    expect(output).toContain(`port ${port} is already in use`);
    // The demo never ran: no demo connector was created or re-pointed.
    const sql = new pg.Client({ connectionString: databaseUrl });
    await sql.connect();
    try {
      const { rows } = await sql.query('SELECT count(*)::int AS n FROM "Connector"');
      expect(rows[0].n).toBe(0);
    } finally {
      await sql.end();
    }
  }, 90_000);
});
