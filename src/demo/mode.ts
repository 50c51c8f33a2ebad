// Whether this process runs demo mode. The demo's fakes live in the process that starts them and the demo
// connectors are shared through the database, so only one process may own them: the laptop case, one process
// running every role. A process with fewer roles (one of several on the same PostgreSQL and Redis) never starts
// fakes and never touches connectors, whatever DEMO says.
import { ROLES, type Role } from '../config.ts';

/** What main does about demo mode; `reason` is a sentence for the log when demo mode was asked for or implied but is not run. */
export interface DemoDecision {
  /** Start the fakes and point the demo connectors at them. */
  start: boolean;
  /** Disable the demo connectors (their fakes are gone); only a process that could own them does this. */
  disableDemoConnectors: boolean;
  reason?: string;
}

/**
 * @param input.roles this process's ROLES
 * @param input.demo DEMO: true/false, undefined = on when no connector is configured
 * @param input.configuredConnectors how many non-demo connectors exist (not deleted)
 */
export function decideDemo(input: { roles: readonly Role[]; demo: boolean | undefined; configuredConnectors: number }): DemoDecision {
  const wanted = input.demo ?? input.configuredConnectors === 0;
  const everyRole = ROLES.every((r) => input.roles.includes(r));
  if (!everyRole) {
    return {
      start: false,
      disableDemoConnectors: false,
      ...(wanted
        ? { reason: `Demo mode runs only in a process with every role (ROLES=${ROLES.join(',')}); this one has ROLES=${input.roles.join(',')}, so it starts no simulated platforms and leaves the demo connectors alone.` }
        : {}),
    };
  }
  return { start: wanted, disableDemoConnectors: !wanted };
}
