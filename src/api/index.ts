// The HTTP surface: JSON API under /api, platform webhooks under /webhooks, probes, and the web app.
import { timingSafeEqual } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { Redis } from 'ioredis';
import type { ConnectorRegistry } from '../../connectors/registry.ts';
import type { CredentialCipher } from '../db/cipher.ts';
import type { Db } from '../db/client.ts';
import type { Logger } from '../log.ts';
import { refuseDeepJson } from './json-depth.ts';
import { refuseNulCharacters } from './nul-characters.ts';
import { metricsRegistry, type Metrics } from '../metrics.ts';
import { leaseKeyOf } from '../runtime/lease.ts';
import type { EventBus } from '../pipeline/notify.ts';
import type { Queues } from '../queues/index.ts';
import type { Readiness } from '../readiness.ts';
import type { ConnectorPool } from '../runtime/connector-pool.ts';
import { SignInThrottle } from '../auth/throttle.ts';
import { accountRouter } from './account.ts';
import { auditRouter } from './audit.ts';
import { authenticate, requireRole, requireTwoFactorSetup } from './auth.ts';
import { noStore, sameOriginStateChanges, securityHeaders } from './browser-defences.ts';
import type { Demo } from '../demo/index.ts';
import { demoRouter } from '../demo/router.ts';
import type { PresenceTracker } from '../workspace/presence.ts';
import { cannedResponsesRouter } from './canned-responses.ts';
import { connectorsRouter } from './connectors.ts';
import { contactsRouter } from './contacts.ts';
import { conversationsRouter } from './conversations.ts';
import { errorHandler, unknownRoute } from './errors.ts';
import { eventsHandler } from './events.ts';
import { guardRouter } from './guard.ts';
import { securitySettingsRouter } from './security-settings.ts';
import { sessionRouter } from './session.ts';
import { tokensRouter } from './tokens.ts';
import { settingsRouter } from './settings.ts';
import { agentsRouter, teamworkRouter } from './teamwork.ts';
import { usersRouter } from './users.ts';
import { webhooksRouter } from './webhooks.ts';
import type { UsageStore } from '../runtime/usage.ts';

export interface ApiDeps {
  db: Db;
  redis: Redis;
  queues: Queues;
  events: EventBus;
  pool: ConnectorPool;
  registry: ConnectorRegistry;
  cipher: CredentialCipher;
  log: Logger;
  publicUrl: string;
  /** Prefix of this inbox's Redis keys (QUEUE_PREFIX): the sign-in throttle's counts live under it. */
  redisPrefix: string;
  /** Express's `trust proxy`: which hops may tell us the client's address and protocol (TRUST_PROXY). */
  trustProxy: boolean | number | string;
  presence: PresenceTracker;
  /** Per-connector request counts and estimated spend (shown in GET /api/connectors). */
  usage?: UsageStore;
  /** Present in demo mode only: enables POST /api/demo/messages. */
  demo?: Demo;
  readiness: Readiness;
  metrics?: Metrics;
  /** Bearer token Prometheus sends to GET /metrics (METRICS_TOKEN); without one /metrics is not served. */
  metricsToken?: string;
}

/** The built web app (`vite build` of web/, run by scripts/setup.mjs). */
const WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), ms)));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function createApi(deps: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Proxy-aware: req.ip and req.secure (the session cookie's Secure flag) come from X-Forwarded-* only when the
  // hop that sent them is trusted.
  app.set('trust proxy', deps.trustProxy);
  app.use(securityHeaders);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // 200 only when this process is usable: start-up finished (readiness.ts) and both stores answer. Otherwise 503
  // naming what is missing, e.g. {"status":"unavailable","missing":["postgres","workers"],...}.
  app.get('/readyz', async (_req, res) => {
    const check = (p: Promise<unknown>) => within(2000, p).then(() => 'ok' as const, () => 'unavailable' as const);
    const [postgres, redis] = await Promise.all([check(deps.db.$queryRawUnsafe('select 1')), check(deps.redis.ping())]);
    const missing = [...(postgres === 'ok' ? [] : ['postgres']), ...(redis === 'ok' ? [] : ['redis']), ...deps.readiness.missing()];
    res.status(missing.length ? 503 : 200).json({ status: missing.length ? 'unavailable' : 'ready', postgres, redis, missing });
  });

  app.use('/webhooks', webhooksRouter(deps));

  // Prometheus: deployment-wide figures (src/metrics.ts), behind their own token so a scraper needs no user.
  if (deps.metrics && deps.metricsToken) {
    const registry = metricsRegistry({ ...deps, metrics: deps.metrics, leaseKey: (id) => leaseKeyOf(deps.redisPrefix, id) });
    const expected = Buffer.from(`Bearer ${deps.metricsToken}`);
    app.get('/metrics', async (req, res) => {
      const given = Buffer.from(req.headers.authorization ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.status(401).json({ error: { code: 'unauthorized', message: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>.' } });
        return;
      }
      res.type(registry.contentType).send(await registry.metrics());
    });
  }

  const throttle = new SignInThrottle(deps.redis, deps.redisPrefix);
  const api = express.Router();
  api.use(noStore);
  api.use(sameOriginStateChanges(deps.publicUrl));
  api.use(express.json({ limit: '256kb', verify: refuseDeepJson }));
  api.use(refuseNulCharacters);
  api.use(authenticate(deps.db));
  api.use(requireTwoFactorSetup(deps.db));
  api.use(sessionRouter({ db: deps.db, cipher: deps.cipher, throttle }));
  api.use('/account', accountRouter({ ...deps, throttle }));
  api.use('/tokens', tokensRouter(deps.db));
  api.use('/settings/security', requireRole('admin'), securitySettingsRouter(deps.db));
  api.use('/conversations', requireRole('agent'), conversationsRouter(deps), teamworkRouter(deps));
  api.get('/events', requireRole('agent'), eventsHandler(deps));
  api.use('/agents', requireRole('agent'), agentsRouter(deps.db));
  api.use('/canned-responses', requireRole('agent'), cannedResponsesRouter(deps.db));
  api.use('/contacts', requireRole('agent'), contactsRouter(deps));
  api.use('/settings/sla', requireRole('agent'), settingsRouter(deps.db));
  api.use('/demo', requireRole('agent'), demoRouter(deps.demo));
  api.use('/connectors', requireRole('admin'), connectorsRouter(deps));
  api.use('/users', requireRole('admin'), usersRouter({ db: deps.db, throttle }));
  api.use('/guard', requireRole('agent'), guardRouter(deps.db));
  api.use('/audit', requireRole('admin'), auditRouter(deps.db));
  api.use(unknownRoute);
  app.use('/api', api);

  // Vite names bundles by content hash (assets/*): cache them for good; index.html is always revalidated.
  app.use(
    express.static(WEB_ROOT, {
      index: 'index.html',
      maxAge: 0,
      setHeaders: (res, path) => {
        if (path.includes('/assets/')) res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      },
    }),
  );
  app.use(unknownRoute);
  app.use(errorHandler(deps.log));
  return app;
}
