// Ending someone's access: their sessions and API tokens stop working at the next request (every request looks
// them up), and open event streams close within seconds (src/api/events.ts re-checks them).
import type { Db } from '../db/client.ts';

type Tx = Pick<Db, 'session' | 'apiToken'>;

/**
 * Deletes every session and API token of `userId`, except the session `keepSessionId` (the one changing its own
 * password stays signed in). Returns how many of each went.
 */
export async function revokeAccess(db: Tx, userId: string, keepSessionId?: string): Promise<{ sessions: number; tokens: number }> {
  const sessions = await db.session.deleteMany({ where: { userId, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) } });
  const tokens = await db.apiToken.deleteMany({ where: { userId } });
  return { sessions: sessions.count, tokens: tokens.count };
}
