// `npm start`: bring up PostgreSQL and Redis, migrate, start the inbox, and (in demo mode) a simulated world.
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { adminLoginLine, ensureAdmin } from './auth/bootstrap-admin.ts';
import { startApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createDb } from './db/client.ts';
import { DEMO_CONNECTOR_NAMES, startDemo } from './demo/index.ts';
import { decideDemo } from './demo/mode.ts';
import { resolveAppSecret } from './infra/app-secret.ts';
import { bringUpInfra } from './infra/index.ts';
import { createLogger, safeErrorMessage } from './log.ts';

async function main(): Promise<void> {
  // A local .env (never committed; see .env.example) fills in what the environment leaves unset.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const infra = await bringUpInfra({ databaseUrl: config.databaseUrl, redisUrl: config.redisUrl, dataDir: config.dataDir });
  const appSecret = await resolveAppSecret(config.appSecret, config.dataDir);

  // Another inbox already serving this port (a second `npm start`) would otherwise first point the shared demo
  // connectors at this process's fakes, which die with it when its listen fails.
  if (config.roles.includes('api')) await assertPortFree(config.port, config.host);

  // The demo's fakes come up before the connectors, so that these never try the addresses of a previous run.
  const setupDb = createDb(infra.postgres.url, 2, (err) => log.warn({ err: safeErrorMessage(err) }, 'a database connection was closed by the server'));
  const demoConnectors = { name: { in: [...DEMO_CONNECTOR_NAMES] } };
  const configured = await setupDb.connector.count({ where: { deletedAt: null, NOT: demoConnectors } });
  const decision = decideDemo({ roles: config.roles, demo: config.demo, configuredConnectors: configured });
  if (decision.reason) log.info({ roles: config.roles, demo: config.demo ?? null }, decision.reason);
  const demo = decision.start ? await startDemo({ db: setupDb, appSecret, log }) : undefined;
  // Without their fakes the demo connectors would only fail over and over.
  if (decision.disableDemoConnectors) await setupDb.connector.updateMany({ where: { ...demoConnectors, enabled: true }, data: { enabled: false, configVersion: { increment: 1 } } });
  // Before the API listens: once /readyz says 200, signing in as this admin works.
  const admin = await ensureAdmin(setupDb, config.adminEmail, config.adminPassword);
  await setupDb.$disconnect();

  const app = await startApp({ config, databaseUrl: infra.postgres.url, redisUrl: infra.redis.url, appSecret, log, demo });

  const lines = [
    '',
    `Support inbox is running: ${app.url || '(no api role in this process)'}`,
    adminLoginLine(admin),
    `  PostgreSQL: ${infra.postgres.source} · Redis: ${infra.redis.source}`,
    demo
      ? `  Demo mode: simulated customers are writing to ${demo.describe()} (DEMO=off to turn it off)`
      : `  Demo mode: off (${
          config.demo === false
            ? 'DEMO=off'
            : decision.reason
              ? 'only a process running every role runs it'
              : `${configured} connector${configured === 1 ? ' is' : 's are'} configured; DEMO=on runs the demo beside them`
        })`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await demo?.stop();
    await app.stop();
    await infra.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/** Fails with a ConfigError when something already listens on `port` (0: any free port, nothing to check). */
async function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new ConfigError(`port ${port} is already in use (is another inbox running? stop it, or set PORT)`) : err);
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

main().catch((err) => {
  process.stderr.write(`\nThe inbox could not start: ${err instanceof ConfigError ? err.message : safeErrorMessage(err)}\n`);
  if (!(err instanceof ConfigError) && process.env.LOG_LEVEL === 'debug') console.error(err);
  process.exit(1);
});
