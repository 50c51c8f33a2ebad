// One customer across platforms: a contact with its platform identities and every conversation it has, public
// and private. Agents link two contacts that are the same person (merge) and split an identity off again.
import { Router } from 'express';
import { audit } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import type { EventBus } from '../pipeline/notify.ts';
import { ContactLinkRequestSchema, type Contact } from './contract.ts';
import { loadConversations } from './conversation-views.ts';
import { HttpError, Id, notFound, parse } from './errors.ts';

const CONVERSATION_LIMIT = 200;

async function contactView(db: Db, id: string): Promise<Contact | null> {
  const contact = await db.contact.findUnique({
    where: { id },
    include: {
      identities: { include: { connector: { select: { platform: true } } }, orderBy: { id: 'asc' } },
      conversations: { select: { id: true }, orderBy: [{ lastMessageAt: 'desc' }, { id: 'desc' }], take: CONVERSATION_LIMIT },
    },
  });
  if (!contact) return null;
  return {
    id: contact.id,
    displayName: contact.displayName,
    handle: contact.handle,
    language: contact.language,
    identities: contact.identities.map((i) => ({
      id: i.id,
      platform: i.connector.platform,
      connectorId: i.connectorId,
      platformUserId: i.platformUserId,
      handle: i.handle,
      displayName: i.displayName,
    })),
    conversations: await loadConversations(db, contact.conversations.map((c) => c.id)),
  };
}

export function contactsRouter(deps: { db: Db; events: EventBus }): Router {
  const { db, events } = deps;
  const router = Router();

  router.get('/:id', async (req, res) => {
    const view = await contactView(db, parse(Id, req.params.id, 'id'));
    if (!view) throw notFound('No such contact.');
    res.json(view);
  });

  /** Merges contact `contactId` into this one: its identities and conversations move here, it goes away. */
  router.post('/:id/links', async (req, res) => {
    const id = parse(Id, req.params.id, 'id');
    const { contactId } = parse(ContactLinkRequestSchema, req.body);
    if (contactId === id) throw new HttpError(400, 'invalid_request', 'contactId: must be another contact than this one.', { contactId: 'must be another contact' });
    const moved = await db.$transaction(async (tx) => {
      const [target, other] = await Promise.all([tx.contact.findUnique({ where: { id } }), tx.contact.findUnique({ where: { id: contactId } })]);
      if (!target) throw notFound('No such contact.');
      if (!other) throw new HttpError(404, 'not_found', 'contactId: no contact has this id.', { contactId: 'no contact has this id' });
      const conversations = await tx.conversation.findMany({ where: { contactId }, select: { id: true } });
      await tx.contactIdentity.updateMany({ where: { contactId }, data: { contactId: id } });
      await tx.conversation.updateMany({ where: { contactId }, data: { contactId: id } });
      await tx.contact.update({ where: { id }, data: { handle: target.handle ?? other.handle, language: target.language ?? other.language } });
      await tx.contact.delete({ where: { id: contactId } });
      await audit(tx, { actorId: req.user!.id, action: 'contact.link', targetType: 'contact', targetId: id, data: { merged: contactId } });
      return conversations.map((c) => c.id);
    });
    await events.publish(moved.map((conversationId) => ({ type: 'conversation.updated' as const, conversationId })));
    res.json(await contactView(db, id));
  });

  /** Splits one identity (and the conversations it wrote in) off into a new contact; answers the new contact. */
  router.delete('/:id/identities/:identityId', async (req, res) => {
    const id = parse(Id, req.params.id, 'id');
    const identityId = parse(Id, req.params.identityId, 'identityId');
    const result = await db.$transaction(async (tx) => {
      const identity = await tx.contactIdentity.findUnique({ where: { id: identityId } });
      if (!identity || identity.contactId !== id) throw notFound('This contact has no such identity.');
      if ((await tx.contactIdentity.count({ where: { contactId: id } })) < 2) {
        throw new HttpError(409, 'last_identity', 'This is the contact’s only identity; there is nothing to split it from.');
      }
      const created = await tx.contact.create({
        data: { displayName: identity.displayName || identity.handle || identity.platformUserId, handle: identity.handle },
      });
      await tx.contactIdentity.update({ where: { id: identityId }, data: { contactId: created.id } });
      // The conversations this identity wrote in on its connector go with it.
      const conversations = await tx.conversation.findMany({
        where: {
          contactId: id,
          connectorId: identity.connectorId,
          messages: { some: { direction: 'inbound', authorId: identity.platformUserId } },
        },
        select: { id: true },
      });
      const ids = conversations.map((c) => c.id);
      await tx.conversation.updateMany({ where: { id: { in: ids } }, data: { contactId: created.id } });
      await audit(tx, { actorId: req.user!.id, action: 'contact.unlink', targetType: 'contact', targetId: id, data: { identityId, newContactId: created.id } });
      return { contactId: created.id, conversationIds: ids };
    });
    await events.publish(result.conversationIds.map((conversationId) => ({ type: 'conversation.updated' as const, conversationId })));
    res.json(await contactView(db, result.contactId));
  });

  return router;
}
