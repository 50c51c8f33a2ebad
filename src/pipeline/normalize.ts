// Stage 1: turn a queued job's payload back into a well-formed InboundMessage. Connectors already normalize
// platform payloads; this stage guards the core against whatever reached the queue (JSON-revived dates, NUL
// characters PostgreSQL refuses, lone surrogates, absurd lengths).
import { z } from 'zod';
import { PLATFORMS, type InboundEvent } from '../domain/types.ts';

/** Longer texts are cut: no platform allows more, and a runaway payload must not stall the pipeline. */
export const MAX_TEXT_LENGTH = 16_000;

const clean = (s: string) => s.replace(/\u0000/g, '\uFFFD').toWellFormed();

const UserRefSchema = z.object({
  id: z.string().min(1).max(100),
  handle: z.string().max(200).optional(),
  displayName: z.string().max(200).optional(),
  languageHint: z.string().max(35).optional(),
});

const InboundSchema = z.object({
  platform: z.enum(PLATFORMS),
  connectorId: z.string().min(1),
  externalId: z.string().min(1).max(200),
  externalThreadId: z.string().min(1).max(200),
  channelId: z.string().min(1).max(200),
  visibility: z.enum(['public', 'private']),
  author: UserRefSchema,
  text: z.string(),
  createdAt: z.coerce.date(),
  replyTo: z.string().max(200).optional(),
  kind: z.enum(['created', 'edited']).optional(),
  editedAt: z.coerce.date().optional(),
  direction: z.enum(['inbound', 'outbound']).optional(),
  recipient: UserRefSchema.optional(),
}).refine((m) => m.direction !== 'outbound' || m.recipient, { message: 'an outbound message names its recipient', path: ['recipient'] });

const DeletionSchema = z.object({
  kind: z.literal('deleted'),
  platform: z.enum(PLATFORMS),
  connectorId: z.string().min(1),
  externalId: z.string().min(1).max(200),
  channelId: z.string().min(1).max(200),
  deletedAt: z.coerce.date(),
});

const cleanUser = (u: z.infer<typeof UserRefSchema>) => ({ ...u, handle: u.handle && clean(u.handle), displayName: u.displayName && clean(u.displayName) });

/** Validates one queued event (throws a ZodError when it is not one); an edit without a time gets "now". */
export function normalizeInbound(payload: unknown): InboundEvent {
  if ((payload as { kind?: unknown } | null)?.kind === 'deleted') return DeletionSchema.parse(payload);
  const msg = InboundSchema.parse(payload);
  return {
    ...msg,
    ...(msg.kind === 'edited' ? { editedAt: msg.editedAt ?? new Date() } : {}),
    author: cleanUser(msg.author),
    ...(msg.recipient ? { recipient: cleanUser(msg.recipient) } : {}),
    text: clean(msg.text.slice(0, MAX_TEXT_LENGTH)),
  };
}
