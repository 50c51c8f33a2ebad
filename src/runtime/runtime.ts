// What the core lends a connector (connectors/connector.ts: ConnectorRuntime), backed by the queues and the
// connector's own database row.
import type { ConnectorHealth, ConnectorRuntime } from '../../connectors/connector.ts';
import type { Db } from '../db/client.ts';
import type { Logger } from '../log.ts';
import { enqueueInbound, type Queues } from '../queues/index.ts';

export function createRuntime(deps: { db: Db; queues: Queues; log: Logger }, connectorId: string): ConnectorRuntime {
  const { db, queues, log } = deps;
  let lastHealth: string | undefined;
  return {
    sink: (events) => enqueueInbound(queues, events),
    loadCursor: async () => (await db.connector.findUnique({ where: { id: connectorId }, select: { cursor: true } }))?.cursor ?? null,
    saveCursor: async (cursor) => {
      await db.connector.update({ where: { id: connectorId }, data: { cursor } });
    },
    reportHealth: (health: ConnectorHealth) => {
      const key = `${health.status}\n${health.lastError ?? ''}`;
      if (key === lastHealth) return;
      lastHealth = key;
      log.info({ connectorId, status: health.status, lastError: health.lastError }, 'connector health');
      db.connector
        .update({
          where: { id: connectorId },
          data: { healthStatus: health.status, healthAt: new Date(), ...(health.lastError !== undefined ? { lastError: health.lastError } : {}) },
        })
        .catch(() => {}); // the connector may have been deleted meanwhile
    },
  };
}
