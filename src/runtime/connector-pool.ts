// One live Connector instance per configured connector in this process, built from its database row
// (credentials decrypted here and nowhere else) and rebuilt when the row changes.
import type { Connector } from '../../connectors/connector.ts';
import type { ConnectorRegistry } from '../../connectors/registry.ts';
import type { CredentialCipher } from '../db/cipher.ts';
import { openConnectorSecrets, plainSettings } from '../db/connector-secrets.ts';
import type { Db } from '../db/client.ts';
import type { Platform } from '../domain/types.ts';
import type { Metrics } from '../metrics.ts';
import type { UsageStore } from './usage.ts';

export interface ConnectorRecord {
  id: string;
  platform: Platform;
  name: string;
  enabled: boolean;
  credentials: string;
  settings: unknown;
  botUserId: string | null;
  configVersion: number;
  deletedAt: Date | null;
}

export class ConnectorPool {
  private readonly cache = new Map<string, { connector: Connector; version: number }>();

  constructor(
    private readonly db: Db,
    private readonly cipher: CredentialCipher,
    private readonly registry: ConnectorRegistry,
    private readonly publicUrl: string,
    private readonly usage?: UsageStore,
    private readonly metrics?: Metrics,
  ) {}

  /** Builds (or reuses) the connector for `record`. Throws when its stored configuration no longer validates. */
  instance(record: ConnectorRecord): Connector {
    const cached = this.cache.get(record.id);
    if (cached && cached.version === record.configVersion) return cached.connector;
    const definition = this.registry.get(record.platform);
    if (!definition) throw new Error(`No connector for platform "${record.platform}".`);
    const { credentials, secretSettings } = openConnectorSecrets(this.cipher, record.credentials, definition.secretSettings, record.settings);
    const created = definition.create({
      connectorId: record.id,
      credentials: definition.credentialsSchema.parse(credentials),
      settings: definition.settingsSchema.parse({ ...plainSettings(record.settings, definition.secretSettings), ...secretSettings }),
      // A connectors-only process without PUBLIC_URL knows no address: the connector then says PUBLIC_URL is needed.
      webhookUrl: this.publicUrl ? `${this.publicUrl}/webhooks/${record.id}` : '',
      ...(this.usage ? { meter: this.usage.meterFor(record.id) } : {}),
    });
    // Sends, removals and DMs are counted for /metrics (src/metrics.ts).
    const connector = this.metrics ? this.metrics.metered(created) : created;
    this.cache.set(record.id, { connector, version: record.configVersion });
    return connector;
  }

  async get(connectorId: string): Promise<{ connector: Connector; record: ConnectorRecord } | null> {
    const record = await this.db.connector.findUnique({ where: { id: connectorId } });
    if (!record) return null;
    return { connector: this.instance(record), record };
  }

  forget(connectorId: string): void {
    this.cache.delete(connectorId);
  }
}
