// A whole inbox (API, workers, connectors) in the test process, on its own copy of the migrated database and
// its own Redis prefix, with every log line captured so tests can prove what never reaches a log.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { startApp, type App } from '../../src/app.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import { loadConfig } from '../../src/config.ts';
import { createDb } from '../../src/db/client.ts';
import { startDemo } from '../../src/demo/index.ts';
import { createDatabase, dropDatabase } from '../../src/infra/postgres.ts';
import { createLogger } from '../../src/log.ts';
import pg from 'pg';

export interface TestInbox {
  app: App;
  url: string;
  databaseUrl: string;
  logs: string[];
  /** An admin's and an agent's API tokens, ready for `Authorization: Bearer`. */
  adminToken: string;
  agentToken: string;
  api(path: string, init?: { method?: string; body?: unknown; token?: string | null; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  /** Every text value in every table, for "this never reaches the database" assertions. */
  dumpDatabase(): Promise<string>;
  /**
   * Creates a connector as the admin (`POST /api/connectors` with `body`; throws unless 201) and waits up to `ms`
   * until its health is `connected`. Resolves to the created connector as the API answered.
   */
  connect(body: object, ms?: number): Promise<any>;
  stop(): Promise<void>;
}

/** One full-cost scrypt hash (of the same password) shared by every test user of this file: each costs seconds on a busy machine. */
let testPasswordHash: Promise<string> | undefined;

/** `demo`: run demo mode's simulated world (platform fakes, demo connectors, traffic) as `npm start` does. */
export async function startTestInbox(options: { roles?: string; env?: Record<string, string>; demo?: boolean } = {}): Promise<TestInbox> {
  const adminUrl = inject('pgAdminUrl');
  const redisUrl = inject('redisUrl');
  const name = `inbox_test_${randomBytes(6).toString('hex')}`;
  await createDatabase(adminUrl, name, inject('pgTemplate'));
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const databaseUrl = u.toString();
  const prefix = `test-${name}`;

  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'debug', QUEUE_PREFIX: prefix, ROLES: options.roles ?? 'api,workers,connectors', ...options.env });
  const log = createLogger('debug', sink);
  const appSecret = 'test-secret-0123456789abcdef';
  const demoDb = options.demo ? createDb(databaseUrl, 2) : undefined;
  const demo = demoDb ? await startDemo({ db: demoDb, appSecret, log }) : undefined;
  const app = await startApp({ config, databaseUrl, redisUrl, appSecret, log, demo });

  const { hashToken, newToken } = await import('../../src/auth/tokens.ts');
  const passwordHash = await (testPasswordHash ??= hashPassword('correct horse battery'));
  const makeUser = async (role: 'admin' | 'agent') => {
    const token = newToken('inbox');
    await app.db.user.create({
      data: {
        email: `${role}-${randomBytes(3).toString('hex')}@example.com`,
        name: role === 'admin' ? 'Ada Admin' : 'Sam Agent',
        role,
        passwordHash,
        apiTokens: { create: { name: 'test', tokenHash: hashToken(token) } },
      },
    });
    return token;
  };
  const adminToken = await makeUser('admin');
  const agentToken = await makeUser('agent');

  const api: TestInbox['api'] = async (path, init = {}) => {
    const token = init.token === undefined ? agentToken : init.token;
    const res = await fetch(`${app.url}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        ...(init.body !== undefined && typeof init.body !== 'string' ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        // A request with the session cookie is sent as the web app's browser sends it: naming this origin
        // (the API refuses cookie-driven state changes that say nowhere where they came from).
        ...(init.headers?.cookie !== undefined && !('sec-fetch-site' in init.headers) ? { origin: new URL(app.url).origin } : {}),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {}
    return { status: res.status, body, headers: res.headers };
  };

  const dumpDatabase = async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows: tables } = await client.query(`select table_name from information_schema.tables where table_schema = 'public'`);
      const parts: string[] = [];
      for (const { table_name } of tables) {
        const { rows } = await client.query(`select * from "${table_name}"`);
        parts.push(JSON.stringify(rows));
      }
      return parts.join('\n');
    } finally {
      await client.end();
    }
  };

  const connect = async (body: object, ms = 15_000) => {
    const created = await api('/api/connectors', { token: adminToken, body });
    if (created.status !== 201) throw new Error(`POST /api/connectors answered ${created.status}: ${JSON.stringify(created.body)}`);
    const connected = async () => (await api(`/api/connectors/${created.body.id}`, { token: adminToken })).body.health.status === 'connected';
    await eventually(connected, ms, `connector ${created.body.name} connected`);
    return created.body;
  };

  return {
    app,
    url: app.url,
    databaseUrl,
    logs,
    adminToken,
    agentToken,
    api,
    dumpDatabase,
    connect,
    stop: async () => {
      await app.stop();
      await demo?.stop();
      await demoDb?.$disconnect();
      const redis = new Redis(redisUrl);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
      redis.disconnect();
      await dropDatabase(adminUrl, name);
    },
  };
}

/** The `POST /api/connectors` body of a polling Telegram connector pointed at a Telegram fake (1 s long polls). */
export function telegramConnector(apiRoot: string, botToken: string, name = 'Telegram') {
  return { platform: 'telegram', name, credentials: { botToken }, settings: { apiRoot, mode: 'polling', pollTimeoutSec: 1 } };
}

/** Polls `check` until it returns a truthy value (or throws after `ms`). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false> | T | undefined | null | false, ms = 10_000, what = 'condition'): Promise<T> {
  const until = Date.now() + ms;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
