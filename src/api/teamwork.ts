// Teamwork on a conversation: private notes (agents only, never sent to the platform), presence (who else has it
// open or is typing), and the list of agents to assign to.
import { Router } from 'express';
import { audit } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import { loadGuardPolicy } from '../db/settings.ts';
import type { Finding } from '../domain/types.ts';
import { detect } from '../guard/index.ts';
import { maskText } from '../guard/mask.ts';
import { mustMask } from '../guard/policy.ts';
import type { EventBus } from '../pipeline/notify.ts';
import type { PresenceTracker } from '../workspace/presence.ts';
import { NEVER_SENT_TYPES, NoteRequestSchema, PresenceRequestSchema, type Agent, type Note } from './contract.ts';
import { Id, notFound, parse } from './errors.ts';

const NOTE_LIMIT = 500;
const NEVER = new Set<string>(NEVER_SENT_TYPES);

const noteView = (n: { id: string; conversationId: string; authorId: string | null; authorName: string; text: string; createdAt: Date }): Note => ({
  id: n.id,
  conversationId: n.conversationId,
  author: { id: n.authorId ?? '', name: n.authorName },
  text: n.text,
  createdAt: n.createdAt.toISOString(),
});

/** Routes under /api/conversations/:id (notes, presence). */
export function teamworkRouter(deps: { db: Db; events: EventBus; presence: PresenceTracker }): Router {
  const { db, events, presence } = deps;
  const router = Router({ mergeParams: true });

  const conversationOf = async (raw: unknown) => {
    const id = parse(Id, raw, 'id');
    if (!(await db.conversation.findUnique({ where: { id }, select: { id: true } }))) throw notFound('No such conversation.');
    return id;
  };

  router.get('/:id/notes', async (req, res) => {
    const id = await conversationOf(req.params.id);
    const rows = await db.note.findMany({ where: { conversationId: id }, orderBy: { createdAt: 'asc' }, take: NOTE_LIMIT });
    res.json({ items: rows.map(noteView) });
  });

  router.post('/:id/notes', async (req, res) => {
    const id = await conversationOf(req.params.id);
    const { text } = parse(NoteRequestSchema, req.body);
    // A note is stored text like any other: a secret pasted into it is masked as in a private conversation.
    const policy = await loadGuardPolicy(db);
    const shouldMask = (f: Finding) => NEVER.has(f.type) || mustMask(policy, f.type, 'private');
    const masked = maskText(text, detect(text), shouldMask);
    const row = await db.note.create({ data: { conversationId: id, authorId: req.user!.id, authorName: req.user!.name, text: masked.text } });
    await audit(db, { actorId: req.user!.id, action: 'note.create', targetType: 'conversation', targetId: id, data: { noteId: row.id } });
    const note = noteView(row);
    await events.publish([{ type: 'note.created', conversationId: id, note }]);
    res.status(201).json(note);
  });

  router.post('/:id/presence', async (req, res) => {
    const id = await conversationOf(req.params.id);
    const { state } = parse(PresenceRequestSchema, req.body);
    res.json(await presence.update(id, { id: req.user!.id, name: req.user!.name }, state));
  });

  router.get('/:id/presence', async (req, res) => {
    res.json(await presence.current(await conversationOf(req.params.id)));
  });

  return router;
}

/** GET /api/agents: every active person who can work the inbox, by name (no emails). */
export function agentsRouter(db: Db): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const users = await db.user.findMany({ where: { active: true }, orderBy: { name: 'asc' }, select: { id: true, name: true, role: true } });
    res.json({ items: users satisfies Agent[] });
  });
  return router;
}
