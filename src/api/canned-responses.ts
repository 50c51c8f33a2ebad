// Canned responses: ready-made answers from the support FAQ, in English and Chinese. Agents search and insert
// them (`/` + shortcut in the composer); admins add, edit and delete them.
import { Router } from 'express';
import { audit } from '../db/audit.ts';
import { isUniqueViolation, type Db, type Prisma } from '../db/client.ts';
import { requireRole } from './auth.ts';
import {
  CannedResponseCreateSchema,
  CannedResponsePatchSchema,
  CannedResponseQuerySchema,
  type CannedResponse,
} from './contract.ts';
import { HttpError, Id, notFound, parse } from './errors.ts';

const view = (r: { id: string; shortcut: string; language: string; title: string; text: string }): CannedResponse => ({
  id: r.id,
  shortcut: r.shortcut,
  language: r.language === 'zh' ? 'zh' : 'en',
  title: r.title,
  text: r.text,
});

const duplicate = () =>
  new HttpError(409, 'conflict', 'A canned response with this shortcut already exists in this language.', { shortcut: 'already used in this language' });

export function cannedResponsesRouter(db: Db): Router {
  const router = Router();

  /** `q` matches the shortcut's start, or the title or text anywhere; shortcut matches come first. */
  router.get('/', async (req, res) => {
    const { q, language } = parse(CannedResponseQuerySchema, req.query, 'query');
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
