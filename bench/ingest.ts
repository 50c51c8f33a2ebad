// `npm run bench:ingest [-- --count 20000 --rate 2500 --leaks 50 --platform telegram|discord|x --mode polling|stream|webhook]`
//
// Pushes customer messages into a platform fake and through the whole inbox (connector → inbound queue →
// normalize, dedupe, guard, persist → committed row), and prints end-to-end throughput, latency from "the
// customer posted" to "the row is committed" (seen as the message.created event, published right after the
// commit), peak RSS, and for public leaks the time until the guard's warning is posted back on the platform.
// Offered load is paced at --rate messages/s (0 = all at once, which measures the backlog drain instead).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { startApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { CredentialCipher } from '../src/db/cipher.ts';
import { createDatabase, dropDatabase } from '../src/infra/postgres.ts';
import { bringUpInfra } from '../src/infra/index.ts';
import { createLogger } from '../src/log.ts';
import { migrate } from '../src/db/migrate.ts';
import { benchPlatforms, type BenchPlatform } from './platforms.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string' },
    rate: { type: 'string' },
    leaks: { type: 'string' },
    platform: { type: 'string', default: 'telegram' },
    /** How the connector receives, for platforms with several ways (X: polling, stream, webhook). */
    mode: { type: 'string' },
  },
});
const platformName = values.platform as keyof typeof benchPlatforms;
if (!benchPlatforms[platformName]) throw new Error(`--platform must be one of ${Object.keys(benchPlatforms).join(', ')}`);
const platform: BenchPlatform = await benchPlatforms[platformName]!({ mode: values.mode });
// A platform may lower the defaults to what its real limits allow (X polls 100 mentions per request, every 3 s).
const count = Number(values.count ?? platform.defaults?.count ?? 20000);
const rate = Number(values.rate ?? platform.defaults?.rate ?? 2500);
const leaks = Math.min(Number(values.leaks ?? platform.defaults?.leaks ?? 50), count);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

const infra = await bringUpInfra({ databaseUrl: process.env.DATABASE_URL, redisUrl: process.env.REDIS_URL, dataDir: process.env.DATA_DIR ?? '.data', database: 'postgres' });
const database = `inbox_bench_${process.pid}`;
await createDatabase(infra.postgres.url, database);
const url = new URL(infra.postgres.url);
url.pathname = `/${database}`;
await migrate(url.toString());

const appSecret = 'bench-secret-0123456789abcdef';
const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', QUEUE_PREFIX: `bench-${process.pid}` });
const app = await startApp({ config, databaseUrl: url.toString(), redisUrl: infra.redis.url, appSecret, log: createLogger(process.env.LOG_LEVEL ?? 'warn') });

await app.db.connector.create({
  data: { platform: platform.name, name: 'bench', credentials: new CredentialCipher(appSecret).encrypt(platform.credentials), settings: platform.settings as object },
});
await platform.waitConnected(app.db);

// Commit times, by message id, from the events published right after each batch commits.
const committedAt = new Map<string, number>();
await app.events.subscribe((e) => {
  if (e.type === 'message.created' && !committedAt.has(e.messageId)) committedAt.set(e.messageId, performance.now());
});

let peakRss = process.memoryUsage().rss;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

const sentAt = new Map<string, number>(); // platform externalId → when the customer posted (performance clock)
const postedAt = new Map<string, number>(); // the same, wall clock, to compare with the fake's request log
const leakIds: string[] = [];
const leakEvery = leaks ? Math.floor(count / leaks) : Infinity;
// CPU spent, which unlike wall time does not depend on what else runs on the machine: this process (inbox and
// fake) and the PostgreSQL backends serving our database (read from /proc, where there is one).
const backendCpuSeconds = async (): Promise<number> => {
  const backends = await app.db.$queryRawUnsafe<Array<{ pid: number }>>(`select pid from pg_stat_activity where datname = current_database()`);
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  for (const { pid } of backends) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / tick;
    } catch {
      // not on this machine (or gone): counted as nothing
    }
  }
  return total;
};
const cpuBefore = process.cpuUsage();
const backendsBefore = await backendCpuSeconds();
const started = performance.now();
for (let i = 0; i < count; i++) {
  if (rate > 0) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
  }
  const leak = i % leakEvery === leakEvery - 1 && leakIds.length < leaks;
  const externalId = leak ? platform.publicLeak(i) : platform.customerMessage(i);
  sentAt.set(externalId, performance.now());
  postedAt.set(externalId, Date.now());
  if (leak) leakIds.push(externalId);
}
const offeredSeconds = (performance.now() - started) / 1000;

// Wait until every customer message is committed (or nothing moves for 30 s). Counted in the database, not
// from the events: the guard's own warnings are messages too.
const inboundCount = () => app.db.message.count({ where: { direction: 'inbound' } });
let last = -1;
let stalledSince = performance.now();
for (let stored = await inboundCount(); stored < count; stored = await inboundCount()) {
  await new Promise((r) => setTimeout(r, 200));
  if (stored !== last) {
    last = stored;
    stalledSince = performance.now();
  } else if (performance.now() - stalledSince > 30_000) break;
}
// CPU up to the last commit (the bench's own bookkeeping below is not the inbox's work).
const cpu = process.cpuUsage(cpuBefore);
const backendCpu = (await backendCpuSeconds()) - backendsBefore;
const rows = await app.db.message.findMany({ where: { direction: 'inbound' }, select: { id: true, externalId: true } });
const stored = new Set(rows.map((r) => r.externalId));
const missing = [...sentAt.keys()].filter((id) => !stored.has(id));
const latencies: number[] = [];
let lastCommit = 0;
for (const row of rows) {
  const sent = sentAt.get(row.externalId!);
  const committed = committedAt.get(row.id);
  if (sent !== undefined && committed !== undefined) {
    latencies.push(committed - sent);
    lastCommit = Math.max(lastCommit, committed);
  }
}
latencies.sort((a, b) => a - b);

// Leak → warning posted back on the platform.
const warnDeadline = performance.now() + 30_000;
let warnings = platform.warningsPostedAt(leakIds);
while (warnings.size < leakIds.length && performance.now() < warnDeadline) {
  await new Promise((r) => setTimeout(r, 200));
  warnings = platform.warningsPostedAt(leakIds);
}
const warnLatencies = leakIds.flatMap((id) => (warnings.has(id) ? [warnings.get(id)! - postedAt.get(id)!] : [])).sort((a, b) => a - b);
clearInterval(rssTimer);

const seconds = (lastCommit - started) / 1000;
console.log(`bench:ingest (${platform.name}${platform.mode ? `, ${platform.mode} mode` : ''}) on ${process.arch}, Node ${process.version}`);
if (missing.length) console.log(`  NOT STORED       ${missing.length} (posted as #${missing.slice(0, 5).map((id) => [...sentAt.keys()].indexOf(id)).join(", #")}): ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`);
console.log(`  messages         ${rows.length} of ${count} committed (offered at ${rate > 0 ? `${rate}/s` : 'once, as fast as possible'} over ${offeredSeconds.toFixed(1)} s)`);
console.log(`  throughput       ${(rows.length / seconds).toFixed(0)} messages/s end to end (first post → last commit, ${seconds.toFixed(2)} s)`);
console.log(`  latency          p50 ${fmt(percentile(latencies, 50))} · p99 ${fmt(percentile(latencies, 99))} · max ${fmt(latencies.at(-1) ?? NaN)} (post → row committed)`);
console.log(`  guard warnings   ${warnLatencies.length} of ${leakIds.length} public leaks warned · p50 ${fmt(percentile(warnLatencies, 50))} · p95 ${fmt(percentile(warnLatencies, 95))} (post → warning on the platform)`);
const processCpu = (cpu.user + cpu.system) / 1e6;
console.log(
  `  CPU              ${processCpu.toFixed(1)} s this process + ${backendCpu.toFixed(1)} s PostgreSQL backends = ${((1e6 * (processCpu + backendCpu)) / Math.max(rows.length, 1)).toFixed(0)} µs per message (independent of other load)`,
);
console.log(`  peak RSS         ${(peakRss / 2 ** 20).toFixed(0)} MiB (the whole inbox and the fake, one process)`);
for (const line of (await platform.report?.(app, rows.length)) ?? []) console.log(`  ${line}`);

await platform.stop();
await app.stop();
await dropDatabase(infra.postgres.url, database);
// Its queues, leases and paces in Redis go too (bench-<pid>:*), as its database does.
const redis = new Redis(infra.redis.url);
const keys = await redis.keys(`${config.queuePrefix}:*`);
if (keys.length) await redis.del(...keys);
redis.disconnect();
await infra.stop();
process.exit(0);
