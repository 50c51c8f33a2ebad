// /webhooks/:connectorId: where platforms deliver events, at any API process (no lease needed: the pipeline
// stores a redelivered event once). Only verifies (the connector's handleWebhook), queues (through the same
// echo and dedupe gate as every receiver) and then acknowledges; never a partial write, never a crash on garbage.
// A disabled connector receives nothing, and one that receives by polling (or a stream) refuses deliveries:
// they could only come from someone else. A delivery the connector cannot read for now (the platform rejected
// its bot token, or cannot be reached to learn the bot's identity) is refused with 503 naming the cause, so the
// platform keeps it and delivers it again once the connector works: nothing is lost, nothing logged as a fault.
import express, { Router } from 'express';
import { ConnectorError } from '../../connectors/errors.ts';
import type { Db } from '../db/client.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { enqueueInbound, type Queues } from '../queues/index.ts';
import type { ConnectorPool } from '../runtime/connector-pool.ts';
import { InboundGate } from '../runtime/gate.ts';
import { HttpError } from './errors.ts';

export function webhooksRouter(deps: { db: Db; pool: ConnectorPool; queues: Queues; log: Logger; metrics?: Metrics }): Router {
  const router = Router();
  const gate = new InboundGate((events) => enqueueInbound(deps.queues, events));
  /** When each connector's last "cannot take deliveries" warning was logged: at most one a minute each. */
  const warned = new Map<string, number>();
  router.all('/:connectorId', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const id = req.params.connectorId ?? '';
    const record = /^[0-9a-f-]{36}$/i.test(id) ? await deps.db.connector.findFirst({ where: { id, enabled: true, deletedAt: null } }) : null;
    if (!record) throw new HttpError(404, 'not_found', 'No enabled connector with this id.');
    const mode = (record.settings as { mode?: unknown } | null)?.mode ?? 'polling';
    if (mode !== 'webhook') throw new HttpError(404, 'not_found', 'This connector is not in webhook mode, so it takes no webhook deliveries.');
    const connector = deps.pool.instance(record);
    if (!connector.capabilities.webhook || !connector.handleWebhook) throw new HttpError(404, 'not_found', 'This connector does not receive webhooks.');
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(',') : v]));
    const query = Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let delivery;
    try {
      delivery = await connector.handleWebhook({ method: req.method, headers, query, rawBody });
    } catch (err) {
      if (!(err instanceof ConnectorError)) throw err;
      // ConnectorError messages never carry credentials (each connector strips them).
      const advice = err.kind === 'auth' ? 'An admin must enter valid credentials for it; the platform delivers this again later.' : 'The platform delivers this again later.';
      if (Date.now() - (warned.get(record.id) ?? 0) > 60_000) {
        warned.set(record.id, Date.now());
        deps.log.warn({ connectorId: record.id, kind: err.kind, err: err.message }, 'webhook delivery refused for now: the connector cannot read it');
      }
      res.setHeader('retry-after', err.kind === 'auth' ? '300' : '30');
      throw new HttpError(503, 'connector_unavailable', `This connector cannot take deliveries right now: ${err.message.replace(/\.?$/, '.')} ${advice}`);
    }
    // Sink, then acknowledge: a failure to queue answers 5xx (the error handler), so the platform delivers again.
    deps.metrics?.received(record.platform, await gate.pass(delivery.events, record.botUserId));
    res.status(delivery.response.status).json(delivery.response.body ?? {});
  });
  return router;
}
