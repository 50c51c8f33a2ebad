// Finds Redis for `npm start` and the tests: REDIS_URL when set; else the server on 127.0.0.1:6379 when it
// answers; else a `redis-server` we start ourselves (installing Debian's package first when running as root).
import { spawn, spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';

export interface RedisHandle {
  url: string;
  source: 'REDIS_URL' | 'local server' | 'started';
  stop(): Promise<void>;
}

const LOCAL_URL = 'redis://127.0.0.1:6379';
const OWN_PORT = 6390;

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 1500, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

function findRedisServer(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

function installRedisServer(): string {
  if (process.getuid?.() !== 0) {
    throw new Error(
      'Redis is not running and redis-server is not installed. Install it (Debian/Ubuntu: `sudo apt-get install redis-server`; ' +
        'macOS: `brew install redis`), or set REDIS_URL to a running Redis.',
    );
  }
  process.stderr.write('[infra] installing redis-server (apt-get)...\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const opts = { stdio: ['ignore', 2, 2] as ('ignore' | number)[], env };
  let res = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'redis-server'], opts);
  if (res.status !== 0) {
    spawnSync('apt-get', ['update'], opts);
    res = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'redis-server'], opts);
  }
  const path = findRedisServer();
  if (res.status !== 0 || !path) throw new Error('Installing redis-server with apt-get failed; install it by hand or set REDIS_URL.');
  return path;
}

async function waitFor(url: string, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await answers(url)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

export async function ensureRedis(options: { redisUrl?: string; dataDir: string }): Promise<RedisHandle> {
  const noop = async () => {};
  if (options.redisUrl) return { url: options.redisUrl, source: 'REDIS_URL', stop: noop };
  if (await answers(LOCAL_URL)) return { url: LOCAL_URL, source: 'local server', stop: noop };

  const url = `redis://127.0.0.1:${OWN_PORT}`;
  if (await answers(url)) return { url, source: 'started', stop: noop }; // left by an earlier run of ours
  const binary = findRedisServer() ?? installRedisServer();
  const dir = resolve(options.dataDir, 'redis');
  await mkdir(dir, { recursive: true });
  const child = spawn(binary, ['--port', String(OWN_PORT), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: 'ignore',
  });
  if (!(await waitFor(url, 10_000))) {
    child.kill();
    throw new Error(`redis-server (${binary}) did not start on port ${OWN_PORT}.`);
  }
  return {
    url,
    source: 'started',
    stop: async () => {
      child.kill('SIGTERM');
    },
  };
}
