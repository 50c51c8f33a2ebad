// The explicit map from platform to connector definition, built here and nowhere else. Adding a platform =
// one import and one entry below.
import type { Platform } from '../src/domain/types.ts';
import type { ConnectorDefinition } from './connector.ts';
import { discordDefinition } from './discord/index.ts';
import { telegramDefinition } from './telegram/index.ts';
import { xDefinition } from './x/index.ts';

export type { ConnectorDefinition, ConnectorInput } from './connector.ts';

export class ConnectorRegistry {
  private readonly definitions = new Map<Platform, ConnectorDefinition>();

  /** Throws when two definitions claim one platform. */
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
