// Canned responses: ready-made answers from the support FAQ, in English and Chinese. Agents search and insert
// them (`/` + shortcut in the composer); admins add, edit and delete them.
import { Router } from 'express';
import { audit } from '../db/audit.ts';
import { isUniqueViolation, type Db, type Prisma } from '../db/client.ts';
import { loadGuardPolicy } from '../db/settings.ts';
import { checkReply, secretInReply } from '../workspace/reply-guard.ts';
import { requireRole } from './auth.ts';
import {
  CannedResponseCreateSchema,
  CannedResponsePatchSchema,
  CannedResponseQuerySchema,
  type CannedResponse,
} from './contract.ts';
import { HttpError, Id, notFound, parse, parseQuery } from './errors.ts';

const view = (r: { id: string; shortcut: string; language: string; title: string; text: string }): CannedResponse => ({
  id: r.id,
  shortcut: r.shortcut,
  language: r.language === 'zh' ? 'zh' : 'en',
  title: r.title,
  text: r.text,
});

/**
 * Canned responses go out to customers as replies, so the reply guard refuses one holding what support never
 * sends (422 `secret_in_reply`), as it would refuse the reply. Checked as for a private conversation (the reply
 * route checks again for the conversation it is sent in, e.g. a phone number in public); the title too, since it
 * is stored and shown.
 */
async function refuseSecrets(db: Db, texts: Array<string | undefined>): Promise<void> {
  const policy = await loadGuardPolicy(db);
  const blocked = [...new Set(texts.flatMap((t) => (t === undefined ? [] : checkReply(t, 'private', policy).blocked)))];
  if (blocked.length) throw secretInReply(blocked, { kind: 'canned_response' });
}

const duplicate = () =>
  new HttpError(409, 'conflict', 'A canned response with this shortcut already exists in this language.', { shortcut: 'already used in this language' });

export function cannedResponsesRouter(db: Db): Router {
  const router = Router();

  /** `q` matches the shortcut's start, or the title or text anywhere; shortcut matches come first. */
  router.get('/', async (req, res) => {
    const { q, language } = parseQuery(CannedResponseQuerySchema, req.query);
    const where: Prisma.CannedResponseWhereInput = { language };
    if (q) {
      where.OR = [
        { shortcut: { startsWith: q.toLowerCase() } },
        { title: { contains: q, mode: 'insensitive' } },
        { text: { contains: q, mode: 'insensitive' } },
      ];
    }
    const rows = await db.cannedResponse.findMany({ where, orderBy: [{ shortcut: 'asc' }, { language: 'asc' }] });
    const lower = q?.toLowerCase();
    if (lower) rows.sort((a, b) => Number(b.shortcut.startsWith(lower)) - Number(a.shortcut.startsWith(lower)));
    res.json({ items: rows.map(view) });
  });

  router.post('/', requireRole('admin'), async (req, res) => {
    const body = parse(CannedResponseCreateSchema, req.body);
    await refuseSecrets(db, [body.title, body.text]);
    try {
      const row = await db.cannedResponse.create({ data: body });
      await audit(db, { actorId: req.user!.id, action: 'canned_response.create', targetType: 'canned_response', targetId: row.id, data: { shortcut: row.shortcut, language: row.language } });
      res.status(201).json(view(row));
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate();
      throw err;
    }
  });

  router.patch('/:id', requireRole('admin'), async (req, res) => {
    const id = parse(Id, req.params.id, 'id');
    const patch = parse(CannedResponsePatchSchema, req.body);
    if (!(await db.cannedResponse.findUnique({ where: { id } }))) throw notFound('No such canned response.');
    await refuseSecrets(db, [patch.title, patch.text]);
    try {
      const row = await db.cannedResponse.update({ where: { id }, data: patch });
      await audit(db, { actorId: req.user!.id, action: 'canned_response.update', targetType: 'canned_response', targetId: id, data: { fields: Object.keys(patch) } });
      res.json(view(row));
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate();
      throw err;
    }
  });

  router.delete('/:id', requireRole('admin'), async (req, res) => {
    const id = parse(Id, req.params.id, 'id');
    const { count } = await db.cannedResponse.deleteMany({ where: { id } });
    if (!count) throw notFound('No such canned response.');
    await audit(db, { actorId: req.user!.id, action: 'canned_response.delete', targetType: 'canned_response', targetId: id });
    res.status(204).end();
  });

  return router;
}
