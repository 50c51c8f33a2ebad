// Admins wire up platform accounts. Credentials (and secret settings) are write-only: stored encrypted, never
// returned, never logged.
import { Router } from 'express';
import { z } from 'zod';
import type { ConnectorDefinition, ConnectorRegistry } from '../../connectors/registry.ts';
import { audit } from '../db/audit.ts';
import type { CredentialCipher } from '../db/cipher.ts';
import type { Db } from '../db/client.ts';
import { PLATFORMS } from '../domain/types.ts';
import type { EventBus } from '../pipeline/notify.ts';
import { HttpError, Id, notFound, parse } from './errors.ts';

const Body = z.object({
  platform: z.enum(PLATFORMS),
  name: z.string().trim().min(1).max(100),
  enabled: z.boolean().default(true),
  credentials: z.record(z.string(), z.unknown()),
  settings: z.record(z.string(), z.unknown()).default({}),
});
const Patch = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    enabled: z.boolean().optional(),
    credentials: z.record(z.string(), z.unknown()).optional(),
    settings: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

interface Row {
  id: string;
  platform: (typeof PLATFORMS)[number];
  name: string;
  enabled: boolean;
  settings: unknown;
  botUserId: string | null;
  healthStatus: string;
  lastError: string | null;
  healthAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

function prefixed(error: HttpError, prefix: string): HttpError {
  const fields = Object.fromEntries(Object.entries(error.fields ?? {}).map(([k, v]) => [`${prefix}.${k}`, v]));
  return new HttpError(400, 'invalid_request', `Invalid ${prefix}: ${Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('; ')}`, fields);
}

function validate(definition: ConnectorDefinition, part: 'credentials' | 'settings', value: unknown): Record<string, unknown> {
  try {
    return parse(part === 'credentials' ? definition.credentialsSchema : definition.settingsSchema, value, part) as Record<string, unknown>;
  } catch (err) {
    throw err instanceof HttpError ? prefixed(err, part) : err;
  }
}

export function connectorsRouter(deps: { db: Db; cipher: CredentialCipher; registry: ConnectorRegistry; events: EventBus; publicUrl: string }): Router {
  const { db, cipher, registry, events, publicUrl } = deps;
  const router = Router();

  const definitionFor = (platform: (typeof PLATFORMS)[number]) => {
    const d = registry.get(platform);
    if (!d) throw new HttpError(400, 'invalid_request', `platform: ${platform} is not available yet`, { platform: 'not available yet' });
    return d;
  };

  const view = (c: Row) => {
    const definition = registry.get(c.platform);
    const settings = { ...(c.settings as Record<string, unknown>) };
    for (const key of definition?.secretSettings ?? []) {
      if (key in settings) {
        delete settings[key];
        settings[`${key}Set`] = true;
      }
    }
    return {
      id: c.id,
      platform: c.platform,
      name: c.name,
      enabled: c.enabled,
      settings,
      credentialsSet: true,
      webhookUrl: `${publicUrl}/webhooks/${c.id}`,
      botUserId: c.botUserId,
      health: { status: c.enabled ? c.healthStatus : 'disabled', lastError: c.lastError, at: c.healthAt },
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    };
  };

  const changed = (connectorId: string) => events.publish([{ type: 'connector.changed', connectorId }]);

  router.get('/', async (_req, res) => {
    const rows = await db.connector.findMany({ where: { deletedAt: null }, orderBy: { createdAt: 'asc' } });
    res.json({ items: rows.map(view) });
  });

  router.get('/:id', async (req, res) => {
    const row = await db.connector.findFirst({ where: { id: parse(Id, req.params.id, 'id'), deletedAt: null } });
    if (!row) throw notFound('No such connector.');
    res.json(view(row));
  });

  router.post('/', async (req, res) => {
    const body = parse(Body, req.body);
    const definition = definitionFor(body.platform);
    const credentials = validate(definition, 'credentials', body.credentials);
    const settings = validate(definition, 'settings', body.settings);
    const row = await db.connector.create({
      data: { platform: body.platform, name: body.name, enabled: body.enabled, credentials: cipher.encrypt(credentials), settings: settings as object },
    });
    await audit(db, { actorId: req.user!.id, action: 'connector.create', targetType: 'connector', targetId: row.id, data: { platform: row.platform, name: row.name } });
    await changed(row.id);
    res.status(201).json(view(row));
  });

  router.patch('/:id', async (req, res) => {
    const id = parse(Id, req.params.id, 'id');
    const patch = parse(Patch, req.body);
    const row = await db.connector.findFirst({ where: { id, deletedAt: null } });
    if (!row) throw notFound('No such connector.');
    const definition = definitionFor(row.platform);
    let settings: Record<string, unknown> | undefined;
    if (patch.settings) {
      // Secret settings left out of a patch keep their stored value: the API never showed them.
      const kept = Object.fromEntries(definition.secretSettings.flatMap((k) => (k in (row.settings as object) ? [[k, (row.settings as Record<string, unknown>)[k]]] : [])));
      settings = validate(definition, 'settings', { ...kept, ...patch.settings });
    }
    const credentials = patch.credentials ? cipher.encrypt(validate(definition, 'credentials', patch.credentials)) : undefined;
    const updated = await db.connector.update({
      where: { id },
      data: {
        name: patch.name,
        enabled: patch.enabled,
        settings: settings as object | undefined,
        credentials,
        configVersion: { increment: 1 },
        // New credentials deserve a fresh verdict.
        ...(credentials ? { healthStatus: 'starting', lastError: null } : {}),
      },
    });
    await audit(db, {
      actorId: req.user!.id,
      action: 'connector.update',
      targetType: 'connector',
      targetId: id,
      data: { name: patch.name, enabled: patch.enabled, settingsChanged: Boolean(patch.settings), credentialsChanged: Boolean(patch.credentials) },
    });
    await changed(id);
    res.json(view(updated));
  });

  router.delete('/:id', async (req, res) => {
    const id = parse(Id, req.params.id, 'id');
    const row = await db.connector.findFirst({ where: { id, deletedAt: null } });
    if (!row) throw notFound('No such connector.');
    // Its conversations stay readable; the credentials are wiped.
    await db.connector.update({ where: { id }, data: { deletedAt: new Date(), enabled: false, credentials: cipher.encrypt({}), configVersion: { increment: 1 } } });
    await audit(db, { actorId: req.user!.id, action: 'connector.delete', targetType: 'connector', targetId: id, data: { platform: row.platform, name: row.name } });
    await changed(id);
    res.status(204).end();
  });

  return router;
}
