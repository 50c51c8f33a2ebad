// The one Prisma client of a process, on the pg driver adapter (no native query engine needed).
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.ts';

export type Db = PrismaClient;
export { Prisma } from '../generated/prisma/client.ts';

/**
 * A Prisma client on a pool of `poolSize` connections. A connection the server drops (a restart, a failover,
 * an idle timeout) is reported through `onConnectionError`, never thrown: pg emits 'error' on the pool or on a
 * checked-out connection, and an 'error' event without a listener ends the process. The pool replaces dropped
 * connections on next use, so queries succeed again as soon as the server is back.
 */
export function createDb(connectionString: string, poolSize = 10, onConnectionError: (err: Error) => void = () => {}): Db {
  const adapter = new PrismaPg({ connectionString, max: poolSize }, { onPoolError: onConnectionError, onConnectionError });
  return new PrismaClient({ adapter });
}

/** True for a unique-constraint violation (another writer got there first). */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === 'P2002';
}

/**
 * A plain pg pool, for the few hot paths where Prisma's per-query overhead dominates (pipeline/persist.ts).
 * An idle connection that the server drops (a restart, a failover) is reported, not thrown: without a listener
 * pg would crash the process; the pool reconnects on next use. A connection taken with `connect()` has no
 * listener while checked out: use `checkOut`, which adds one.
 */
export function createSqlPool(connectionString: string, onIdleError: (err: Error) => void, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  pool.on('error', onIdleError);
  return pool;
}

/**
 * Takes one connection of `pool` for a series of queries (a transaction). While a connection is checked out,
 * pg-pool removes its own 'error' listener, so a server restart in the middle (even between two queries) would
 * emit an unhandled 'error' and end the process. Here the error only fails the pending query, and `release()`
 * destroys a broken connection instead of returning it to the pool.
 */
export async function checkOut(pool: pg.Pool): Promise<pg.PoolClient & { release(): void }> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (err: Error) => {
    broken = err;
  };
  client.on('error', onError);
  const release = client.release.bind(client);
  return Object.assign(client, {
    release: () => {
      client.off('error', onError);
      release(broken);
    },
  });
}
