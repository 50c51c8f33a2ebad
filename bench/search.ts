// `npm run bench:search [-- --conversations 100000]`
//
// Inbox search at scale: seeds a fresh database with N conversations (bench/web-seed.ts: ~3 messages each, half
// Chinese, half English), starts the API, and times GET /api/conversations?q=… end to end over HTTP (the first
// page of 50, hydrated as the web app gets it): median, min and max of 5 runs per query, after one warm-up.
import { parseArgs } from 'node:util';
import { startApp } from '../src/app.ts';
import { hashToken, newToken } from '../src/auth/tokens.ts';
import { loadConfig } from '../src/config.ts';
import { migrate } from '../src/db/migrate.ts';
import { bringUpInfra } from '../src/infra/index.ts';
import { createDatabase, dropDatabase } from '../src/infra/postgres.ts';
import { createLogger } from '../src/log.ts';
import { contactOf, seedInbox } from './web-seed.ts';

const { values } = parseArgs({ options: { conversations: { type: 'string', default: '100000' }, runs: { type: 'string', default: '5' } } });
const conversations = Number(values.conversations);
const runs = Number(values.runs);

const infra = await bringUpInfra({ databaseUrl: process.env.DATABASE_URL, redisUrl: process.env.REDIS_URL, dataDir: process.env.DATA_DIR ?? '.data', database: 'postgres' });
const database = `inbox_bench_search_${process.pid}`;
await createDatabase(infra.postgres.url, database);
const url = new URL(infra.postgres.url);
url.pathname = `/${database}`;
try {
  await migrate(url.toString());
  const seeded = await seedInbox(url.toString(), { conversations, threadMessages: 0 });
  console.log(`seeded ${seeded.conversations} conversations, ${seeded.messages} messages in ${(seeded.ms / 1000).toFixed(1)} s`);

  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ROLES: 'api', QUEUE_PREFIX: `bench-search-${process.pid}` });
  const app = await startApp({ config, databaseUrl: url.toString(), redisUrl: infra.redis.url, appSecret: 'bench-secret-0123456789abcdef', log: createLogger('warn') });
  const token = newToken('inbox');
  await app.db.user.create({ data: { email: 'bench@example.com', name: 'Bench', role: 'agent', passwordHash: 'x', apiTokens: { create: { name: 'bench', tokenHash: hashToken(token) } } } });

  const time = async (query: string) => {
    const t0 = performance.now();
    const res = await fetch(`${app.url}/api/conversations?${query}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { items: unknown[] };
    if (res.status !== 200) throw new Error(`${query}: ${res.status} ${JSON.stringify(body)}`);
    return { ms: performance.now() - t0, count: body.items.length };
  };
  const queries: Array<[string, string]> = [
    ['no search (first page)', ''],
    ['common English word', 'q=credited'],
    ['common Chinese, 2 characters', `q=${encodeURIComponent('到账')}`],
    ['Chinese, 4 characters', `q=${encodeURIComponent('官方客服')}`],
    ['one contact by name', `q=${encodeURIComponent(contactOf(conversations - 7).name)}`],
    ['one contact by handle', `q=${contactOf(conversations - 10).handle}`],
    ['rare phrase (no match)', 'q=quartz%20zebra'],
    ['rare Chinese (no match)', `q=${encodeURIComponent('麒麟')}`],
    ['search + urgent filter', 'q=stolen&priority=urgent'],
  ];
  console.log(`\nGET /api/conversations on ${conversations} conversations (${runs} runs each, after a warm-up):`);
  for (const [label, query] of queries) {
    await time(query);
    const samples: number[] = [];
    let count = 0;
    for (let i = 0; i < runs; i++) {
      const r = await time(query);
      samples.push(r.ms);
      count = r.count;
    }
    samples.sort((a, b) => a - b);
    const median = samples[Math.floor(samples.length / 2)]!;
    console.log(`  ${label.padEnd(32)} median ${median.toFixed(1).padStart(7)} ms  (min ${samples[0]!.toFixed(1)}, max ${samples.at(-1)!.toFixed(1)})  ${count} items`);
  }
  await app.stop();
} finally {
  await dropDatabase(infra.postgres.url, database);
  await infra.stop();
}
