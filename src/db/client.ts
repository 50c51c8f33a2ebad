// The one Prisma client of a process, on the pg driver adapter (no native query engine needed).
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.ts';

export type Db = PrismaClient;
export { Prisma } from '../generated/prisma/client.ts';

export function createDb(connectionString: string, poolSize = 10): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: poolSize }) });
}

/** True for a unique-constraint violation (another writer got there first). */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === 'P2002';
}

/**
 * A plain pg pool, for the few hot paths where Prisma's per-query overhead dominates (pipeline/persist.ts).
 * An idle connection that the server drops (a restart, a failover) is reported, not thrown: without a listener
 * pg would crash the process; the pool reconnects on next use.
 */
export function createSqlPool(connectionString: string, onIdleError: (err: Error) => void, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  pool.on('error', onIdleError);
  return pool;
}
