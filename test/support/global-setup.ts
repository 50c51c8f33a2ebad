// Once per `npm test`: make sure PostgreSQL and Redis are there (the same way `npm start` finds or starts them)
// and build a migrated template database that each test file copies in milliseconds; build the web app when its
// sources changed.
import type { TestProject } from 'vitest/node';
import { buildWebIfChanged } from '../../scripts/build-web.mjs';
import { migrate } from '../../src/db/migrate.ts';
import { createDatabase, dropDatabase, ensurePostgres } from '../../src/infra/postgres.ts';
import { ensureRedis } from '../../src/infra/redis.ts';

const TEMPLATE = `inbox_test_template_${process.pid}`;

export default async function setup(project: TestProject) {
  // The browser tests load the built app: build it when `vitest` runs without `npm test`'s setup step.
  buildWebIfChanged();
  const dataDir = process.env.DATA_DIR ?? '.data';
  const postgres = await ensurePostgres({ databaseUrl: process.env.TEST_DATABASE_URL, database: 'postgres', dataDir });
  const redis = await ensureRedis({ redisUrl: process.env.TEST_REDIS_URL, dataDir });
  const adminUrl = postgres.url;
  await dropDatabase(adminUrl, TEMPLATE);
  await createDatabase(adminUrl, TEMPLATE);
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${TEMPLATE}`;
  await migrate(templateUrl.toString());
  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplate', TEMPLATE);
  project.provide('redisUrl', redis.url);
  return async () => {
    await dropDatabase(adminUrl, TEMPLATE).catch(() => {});
    await Promise.all([postgres.stop(), redis.stop()]);
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
    redisUrl: string;
  }
}
