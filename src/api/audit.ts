// The audit log, newest first, for admins.
import { Router } from 'express';
import { z } from 'zod';
import type { Db, Prisma } from '../db/client.ts';
import { HttpError, parseQuery } from './errors.ts';

const Query = z.object({
  actor: z.string().uuid().optional(),
  action: z.string().max(100).optional(),
  since: z.coerce.date().optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export function auditRouter(db: Db): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const q = parseQuery(Query, req.query);
    const where: Prisma.AuditLogWhereInput = {
      actorId: q.actor,
      // `connector` matches connector.create, connector.update, ...
      action: q.action ? (q.action.includes('.') ? q.action : { startsWith: `${q.action}.` }) : undefined,
      createdAt: q.since ? { gte: q.since } : undefined,
    };
    let cursorWhere: Prisma.AuditLogWhereInput | undefined;
    if (q.cursor) {
      const [at, id] = Buffer.from(q.cursor, 'base64url').toString('utf8').split('\n');
      if (!at || !id || Number.isNaN(Date.parse(at))) throw new HttpError(400, 'invalid_request', 'cursor: invalid', { cursor: 'invalid' });
      cursorWhere = { OR: [{ createdAt: { lt: new Date(at) } }, { createdAt: new Date(at), id: { lt: id } }] };
    }
    const rows = await db.auditLog.findMany({
      where: cursorWhere ? { AND: [where, cursorWhere] } : where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    res.json({
      items: page,
      nextCursor: rows.length > q.limit && last ? Buffer.from(`${last.createdAt.toISOString()}\n${last.id}`).toString('base64url') : null,
    });
  });
  return router;
}
