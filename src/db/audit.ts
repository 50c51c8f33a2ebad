// The append-only audit log: who did what to which thing. `data` must never hold secrets or message text.
import type { Db } from './client.ts';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  data?: Record<string, unknown>;
}

export async function audit(db: Pick<Db, 'auditLog'>, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: { actorId: entry.actorId, action: entry.action, targetType: entry.targetType, targetId: entry.targetId, data: (entry.data ?? {}) as object },
  });
}
