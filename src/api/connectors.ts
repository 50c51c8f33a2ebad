// Admins wire up platform accounts. Credentials (and secret settings) are write-only: stored encrypted, never
// returned, never logged.
//
// Bot tokens cannot be sent elsewhere by someone who does not know them: changing a setting that says where the
// credentials go (DESTINATION_SETTINGS) needs the credentials again in the same request. A secret setting (a
// webhook secret) that nobody chose is generated: 32 random bytes. `PATCH` merges settings key by key.
import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { ConnectorDefinition, ConnectorRegistry } from '../../connectors/registry.ts';
import { audit } from '../db/audit.ts';
import type { CredentialCipher } from '../db/cipher.ts';
import { openConnectorSecrets, plainSettings, sealConnectorSecrets } from '../db/connector-secrets.ts';
import type { Db } from '../db/client.ts';
import type { ConnectorUsage, UsageStore } from '../runtime/usage.ts';
import { PLATFORMS } from '../domain/types.ts';
import type { EventBus } from '../pipeline/notify.ts';
import { fieldProblems, HttpError, Id, notFound, parse } from './errors.ts';
import { clientAddress } from './session.ts';

/** Settings that decide which server receives the credentials (see ../shared/api.md, "Connector bodies"). */
export const DESTINATION_SETTINGS = ['apiRoot', 'apiBase'] as const;

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
    /** Merged into the stored settings key by key; a `null` value removes that key. */
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

/** /api/connectors: list, read, create, PATCH (merging settings), DELETE. Mount behind requireRole('admin'). */
export function connectorsRouter(deps: { db: Db; cipher: CredentialCipher; registry: ConnectorRegistry; events: EventBus; publicUrl: string; usage?: UsageStore }): Router {
  const { db, cipher, registry, events, publicUrl, usage } = deps;
  const router = Router();

  const definitionFor = (platform: (typeof PLATFORMS)[number]) => {
    const d = registry.get(platform);
    if (!d) throw new HttpError(400, 'invalid_request', `platform: ${platform} is not available yet`, { platform: 'not available yet' });
    return d;
  };
  const secretKeysOf = (platform: (typeof PLATFORMS)[number]) => registry.get(platform)?.secretSettings ?? [];

  /** Requests and estimated spend per connector (platforms that bill per use: X); null when not counted here. */
  const usageOf = async (ids: string[]) => (usage && ids.length ? await usage.summaries(ids) : new Map<string, ConnectorUsage>());

  const view = (c: Row & { credentials: string }, spent?: ConnectorUsage) => {
    const secretKeys = secretKeysOf(c.platform);
    const settings = plainSettings(c.settings, secretKeys);
    const { secretSettings } = openConnectorSecrets(cipher, c.credentials, secretKeys, c.settings);
    for (const key of secretKeys) if (secretSettings[key] !== undefined) settings[`${key}Set`] = true;
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
      usage: spent ?? null,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    };
  };

  /** Validates settings, generates missing secret settings, and splits them into plain and secret parts. */
  const settle = (definition: ConnectorDefinition, settings: Record<string, unknown>) => {
    const valid = validate(definition, 'settings', settings);
    const secret: Record<string, unknown> = {};
    for (const key of definition.secretSettings) {
      secret[key] = valid[key] ?? randomBytes(32).toString('base64url');
      delete valid[key];
    }
    return { plain: valid, secret };
  };

  /** What the audit log keeps of a connector: never credentials or secret settings. */
  const auditView = (c: { name: string; enabled: boolean; settings: unknown; platform: (typeof PLATFORMS)[number] }) => ({
    name: c.name,
    enabled: c.enabled,
    settings: plainSettings(c.settings, secretKeysOf(c.platform)),
  });

  const changed = (connectorId: string) => events.publish([{ type: 'connector.changed', connectorId }]);

  router.get('/', async (_req, res) => {
    const rows = await db.connector.findMany({ where: { deletedAt: null }, orderBy: { createdAt: 'asc' } });
    const spent = await usageOf(rows.map((r) => r.id));
    res.json({ items: rows.map((r) => view(r, spent.get(r.id))) });
  });

  // What each platform asks for, with the definition's own hints (which credential goes where), for the admin
  // form: `{items: [{platform, credentials: [field], settings: [field]}]}`, field = `{key, required, description?,
  // enum?, default?}`; secret settings are marked `secret: true`.
  router.get('/platforms', (_req, res) => {
    const fields = (schema: z.ZodType, secret: readonly string[] = []) => {
      const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
        properties?: Record<string, { description?: string; enum?: unknown[]; default?: unknown }>;
        required?: string[];
      };
      return Object.entries(json.properties ?? {}).map(([key, p]) => ({
        key,
        required: (json.required ?? []).includes(key),
        ...(p.description ? { description: p.description } : {}),
        ...(p.enum ? { enum: p.enum } : {}),
        ...(p.default !== undefined ? { default: p.default } : {}),
        ...(secret.includes(key) ? { secret: true } : {}),
      }));
    };
    res.json({
      items: registry.platforms().map((platform) => {
        const d = registry.get(platform)!;
        return { platform, credentials: fields(d.credentialsSchema), settings: fields(d.settingsSchema, d.secretSettings) };
      }),
    });
  });

  router.get('/:id', async (req, res) => {
    const row = await db.connector.findFirst({ where: { id: parse(Id, req.params.id, 'id'), deletedAt: null } });
    if (!row) throw notFound('No such connector.');
    res.json(view(row, (await usageOf([row.id])).get(row.id)));
  });

  router.post('/', async (req, res) => {
    // Every field's problem in one answer: the platform's own checks run even when the name is wrong.
    const problems = fieldProblems();
    const body = problems.check(() => parse(Body, req.body));
    const raw: Record<string, unknown> = req.body && typeof req.body === 'object' ? req.body : {};
    const platform = body?.platform ?? PLATFORMS.find((p) => p === raw.platform);
    const definition = platform ? problems.check(() => definitionFor(platform)) : undefined;
    const credentials = definition && !problems.named('credentials') ? problems.check(() => validate(definition, 'credentials', raw.credentials)) : undefined;
    const settings = definition && !problems.named('settings') ? problems.check(() => settle(definition, (body?.settings ?? raw.settings ?? {}) as Record<string, unknown>)) : undefined;
    problems.done();
    if (!body || !credentials || !settings) throw new Error('unreachable: a failed check throws in done()');
    const { plain, secret } = settings;
    const row = await db.connector.create({
      data: {
        platform: body.platform,
        name: body.name,
        enabled: body.enabled,
        credentials: sealConnectorSecrets(cipher, { credentials, secretSettings: secret }),
        settings: plain as object,
      },
    });
    await audit(db, {
      actorId: req.user!.id,
      action: 'connector.create',
      targetType: 'connector',
      targetId: row.id,
      data: { platform: row.platform, after: auditView(row), ip: clientAddress(req) },
    });
    await changed(row.id);
    res.status(201).json(view(row));
  });

  router.patch('/:id', async (req, res) => {
    const id = parse(Id, req.params.id, 'id');
    const patch = parse(Patch, req.body);
    const row = await db.connector.findFirst({ where: { id, deletedAt: null } });
    if (!row) throw notFound('No such connector.');
    const definition = definitionFor(row.platform);
    const stored = openConnectorSecrets(cipher, row.credentials, definition.secretSettings, row.settings);
    const current: Record<string, unknown> = { ...plainSettings(row.settings, definition.secretSettings), ...stored.secretSettings };

    const merged = { ...current };
    for (const [key, value] of Object.entries(patch.settings ?? {})) {
      if (value === null) delete merged[key];
      else merged[key] = value;
    }
    // Settings and new credentials are checked together, so both parts' problems come in one answer.
    const problems = fieldProblems();
    const settled = problems.check(() => settle(definition, merged));
    const credentials = patch.credentials ? problems.check(() => validate(definition, 'credentials', patch.credentials)) : stored.credentials;
    problems.done();
    if (!settled || !credentials) throw new Error('unreachable: a failed check throws in done()');
    const { plain, secret } = settled;

    const moved = DESTINATION_SETTINGS.filter((key) => (current[key] ?? null) !== (plain[key] ?? null));
    if (moved.length && !patch.credentials) {
      const names = moved.map((k) => `settings.${k}`).join(' and ');
      throw new HttpError(
        400,
        'credentials_required',
        `credentials: enter the credentials again to change ${names}, which decides where they are sent`,
        { credentials: `required when ${names} changes` },
        { settings: moved.map((k) => `settings.${k}`) },
      );
    }
    const secretsChanged = definition.secretSettings.filter((k) => stored.secretSettings[k] !== secret[k]);
    const updated = await db.connector.update({
      where: { id },
      data: {
        name: patch.name,
        enabled: patch.enabled,
        settings: plain as object,
        credentials: sealConnectorSecrets(cipher, { credentials, secretSettings: secret }),
        configVersion: { increment: 1 },
        // New credentials deserve a fresh verdict.
        ...(patch.credentials ? { healthStatus: 'starting', lastError: null } : {}),
      },
    });
    await audit(db, {
      actorId: req.user!.id,
      action: 'connector.update',
      targetType: 'connector',
      targetId: id,
      data: {
        before: auditView(row),
        after: auditView(updated),
        credentialsChanged: Boolean(patch.credentials),
        ...(secretsChanged.length ? { secretSettingsChanged: secretsChanged } : {}),
        ip: clientAddress(req),
      },
    });
    await changed(id);
    res.json(view(updated));
  });

  router.delete('/:id', async (req, res) => {
    const id = parse(Id, req.params.id, 'id');
    const row = await db.connector.findFirst({ where: { id, deletedAt: null } });
    if (!row) throw notFound('No such connector.');
    // Its conversations stay readable; the credentials and secret settings are wiped.
    await db.connector.update({
      where: { id },
      data: { deletedAt: new Date(), enabled: false, credentials: cipher.encrypt({}), settings: plainSettings(row.settings, secretKeysOf(row.platform)) as object, configVersion: { increment: 1 } },
    });
    await audit(db, { actorId: req.user!.id, action: 'connector.delete', targetType: 'connector', targetId: id, data: { platform: row.platform, before: auditView(row), ip: clientAddress(req) } });
    await changed(id);
    res.status(204).end();
  });

  return router;
}
