// The explicit map from platform to connector definition. Adding a platform = one definition here.
import type { z } from 'zod';
import type { Platform } from '../src/domain/types.ts';
import type { Connector } from './connector.ts';
import { discordDefinition } from './discord/index.ts';
import { telegramDefinition } from './telegram/index.ts';
import { xDefinition } from './x/index.ts';

export interface ConnectorInput<C, S> {
  connectorId: string;
  credentials: C;
  settings: S;
  /** Where the platform should deliver webhooks for this connector (PUBLIC_URL + /webhooks/:id). */
  webhookUrl: string;
}

export interface ConnectorDefinition<C = any, S = any> {
  platform: Platform;
  /** Validated when an admin saves a connector; the API names the offending field. */
  credentialsSchema: z.ZodType<C>;
  settingsSchema: z.ZodType<S>;
  /** Settings that are secrets all the same (a webhook secret): write-only, like credentials. */
  secretSettings: readonly string[];
  /** The longest reply the platform accepts in one message. */
  maxReplyLength: number;
  create(input: ConnectorInput<C, S>): Connector;
}

export class ConnectorRegistry {
  private readonly definitions = new Map<Platform, ConnectorDefinition>();

  constructor(definitions: ConnectorDefinition[]) {
    for (const d of definitions) {
      if (this.definitions.has(d.platform)) throw new Error(`Two connector definitions for platform "${d.platform}".`);
      this.definitions.set(d.platform, d);
    }
  }

  get(platform: Platform): ConnectorDefinition | undefined {
    return this.definitions.get(platform);
  }

  platforms(): Platform[] {
    return [...this.definitions.keys()];
  }
}

export const registry = new ConnectorRegistry([telegramDefinition, discordDefinition, xDefinition]);
