// Brings up what the inbox needs before it can start: PostgreSQL (migrated) and Redis.
import { migrate } from '../db/migrate.ts';
import { ensurePostgres, type PostgresHandle } from './postgres.ts';
import { ensureRedis, type RedisHandle } from './redis.ts';

export interface Infra {
  postgres: PostgresHandle;
  redis: RedisHandle;
  stop(): Promise<void>;
}

export async function bringUpInfra(options: { databaseUrl?: string; redisUrl?: string; dataDir: string; database?: string }): Promise<Infra> {
  const [postgres, redis] = await Promise.all([
    ensurePostgres({ databaseUrl: options.databaseUrl, database: options.database ?? 'inbox', dataDir: options.dataDir }),
    ensureRedis({ redisUrl: options.redisUrl, dataDir: options.dataDir }),
  ]);
  await migrate(postgres.url);
  return {
    postgres,
    redis,
    stop: async () => {
      await Promise.all([postgres.stop(), redis.stop()]);
    },
  };
}
