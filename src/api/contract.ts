// The HTTP API's shapes as zod schemas, with their TypeScript types. The routers parse requests with the request
// schemas and build responses typed by the response types; the web app imports the types only
// (`import type { Conversation } from '../src/api/contract.ts'`), so nothing here runs in the browser.
//
// Dates travel as ISO 8601 strings (UTC, e.g. "2026-11-29T08:00:00.000Z"). Errors are always ErrorBody.
// Request schemas are written for what a client sends (query strings arrive as text and are coerced here).
import { z } from 'zod';
import { FINDING_TYPES, PLATFORMS } from '../domain/types.ts';
import { hasVisibleText } from '../domain/visible-text.ts';

// ---------------------------------------------------------------------------------------------------------
// Building blocks

export const PlatformSchema = z.enum(PLATFORMS);
export const VisibilitySchema = z.enum(['public', 'private']);
export const StatusSchema = z.enum(['open', 'pending', 'resolved']);
/** Triage order: urgent sorts first (a possible theft, or a public leak the guard found). */
export const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export const PrioritySchema = z.enum(PRIORITIES);
/** The support FAQ's categories; `other` for everything else. */
export const INTENTS = ['account_compromised', 'forgot_password', 'payment_failed', 'security_question', 'other'] as const;
export const IntentSchema = z.enum(INTENTS);
export const LANGUAGES = ['zh', 'en'] as const;
export const LanguageSchema = z.enum(LANGUAGES);
export const FindingTypeSchema = z.enum(FINDING_TYPES);
export const RoleSchema = z.enum(['admin', 'agent']);

/** ISO 8601 date-time string as the API writes it. */
const Timestamp = z.string();
const Uuid = z.uuid('must be an id this API returned');

/** Text a person reads (a reply, a note, a canned response): trimmed, and refused as empty when nothing in it is visible. */
const VisibleText = (max: number) => z.string().trim().min(1, 'must not be empty').max(max).refine(hasVisibleText, 'must not be empty');

export type Platform = z.infer<typeof PlatformSchema>;
export type Visibility = z.infer<typeof VisibilitySchema>;
export type Status = z.infer<typeof StatusSchema>;
export type Priority = z.infer<typeof PrioritySchema>;
export type Intent = z.infer<typeof IntentSchema>;
export type Language = z.infer<typeof LanguageSchema>;
export type FindingType = z.infer<typeof FindingTypeSchema>;
export type Role = z.infer<typeof RoleSchema>;

/** `{"error": {"code", "message", "fields"?}}` with a 4xx/5xx status; `message` is a sentence for people. */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    /** Per-field sentences (`{"since": "must be a date, for example 2026-11-29T08:00:00Z"}`); for
     * `secret_in_reply`, `types` is the list of finding types found. */
    fields: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** A span of sensitive data: UTF-16 offsets into the text it came with, end exclusive. */
export const FindingSchema = z.object({
  type: FindingTypeSchema,
  start: z.number().int(),
  end: z.number().int(),
  /** Whether the span is a placeholder such as "[seed_phrase removed]" (true) or the original text (false). */
  masked: z.boolean().optional(),
});
export type Finding = z.infer<typeof FindingSchema>;

export const UserRefSchema = z.object({ id: z.string(), name: z.string() });
export type UserRef = z.infer<typeof UserRefSchema>;

export const ContactRefSchema = z.object({ id: z.string(), displayName: z.string(), handle: z.string().nullable() });
export type ContactRef = z.infer<typeof ContactRefSchema>;

// ---------------------------------------------------------------------------------------------------------
// Session and people

export const LoginRequestSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email('must be an email address')),
  password: z.string().min(1).max(1000),
  otp: z.string().trim().max(100).optional(),
});
export type LoginRequest = z.input<typeof LoginRequestSchema>;

/** GET /api/session (and the answer to a successful POST). */
export const SessionUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  twoFactorEnabled: z.boolean().optional(),
  twoFactorRequired: z.boolean().optional(),
});
export type SessionUser = z.infer<typeof SessionUserSchema>;

/** GET /api/users items (admin). */
export const UserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  active: z.boolean(),
  createdAt: Timestamp,
});
export type User = z.infer<typeof UserSchema>;

/** GET /api/agents items: every active person who can work the inbox (no emails). */
export const AgentSchema = z.object({ id: z.string(), name: z.string(), role: RoleSchema });
export type Agent = z.infer<typeof AgentSchema>;
export const AgentListSchema = z.object({ items: z.array(AgentSchema) });
export type AgentList = z.infer<typeof AgentListSchema>;

// ---------------------------------------------------------------------------------------------------------
// Conversations

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

/** GET /api/conversations query. */
export const ConversationListQuerySchema = z.object({
  status: StatusSchema.optional(),
  platform: PlatformSchema.optional(),
  visibility: VisibilitySchema.optional(),
  flagged: bool.optional(),
  priority: PrioritySchema.optional(),
  intent: IntentSchema.optional(),
  assigneeId: Uuid.optional(),
  contactId: Uuid.optional(),
  /** Overdue for a first response. */
  overdue: bool.optional(),
  /** Searches contact names, handles and (masked) message text, case-insensitive; at least 2 characters. */
  q: z
    .string()
    .trim()
    .max(200)
    .refine((v) => v === '' || [...v].length >= 2, 'must have at least 2 characters')
    .optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ConversationListQuery = z.input<typeof ConversationListQuerySchema>;

/** One conversation in the list. Sorted urgent first, then flagged, then newest. */
export const ConversationSchema = z.object({
  id: z.string(),
  platform: PlatformSchema,
  connectorId: z.string(),
  connectorName: z.string(),
  /** False when the connector is disabled or deleted: replies cannot go out (the API answers 409). */
  connectorEnabled: z.boolean(),
  visibility: VisibilitySchema,
  status: StatusSchema,
  priority: PrioritySchema,
  intent: IntentSchema,
  /** The customer's language as last detected, or null before they wrote. */
  language: LanguageSchema.nullable(),
  contact: ContactRefSchema,
  lastMessageAt: Timestamp,
  createdAt: Timestamp,
  flagged: z.boolean(),
  /** Kinds of sensitive data found anywhere in the conversation, sorted. */
  findingTypes: z.array(FindingTypeSchema),
  assigneeId: z.string().nullable(),
  assignee: UserRefSchema.nullable(),
  /** The customer's latest words (masked), at most 140 characters; never the bot's warning. */
  preview: z.string(),
  /** When the first agent reply is due (null when no target applies or the customer never wrote). */
  firstResponseDueAt: Timestamp.nullable(),
  firstRespondedAt: Timestamp.nullable(),
  /** Due time passed with no agent reply yet. */
  overdue: z.boolean(),
});
export type Conversation = z.infer<typeof ConversationSchema>;

export const ConversationListSchema = z.object({ items: z.array(ConversationSchema), nextCursor: z.string().nullable() });
export type ConversationList = z.infer<typeof ConversationListSchema>;

/** GET /api/conversations/:id. */
export const ConversationDetailSchema = ConversationSchema.extend({
  externalThreadId: z.string(),
  /** The platform's limit on one reply, in UTF-16 code units (Telegram 4096, Discord 2000, X 280). */
  replyMaxLength: z.number().int(),
});
export type ConversationDetail = z.infer<typeof ConversationDetailSchema>;

/** PATCH /api/conversations/:id. */
export const ConversationPatchSchema = z
  .object({
    status: StatusSchema.optional(),
    assigneeId: Uuid.nullable().optional(),
    priority: PrioritySchema.optional(),
    intent: IntentSchema.optional(),
  })
  .strict();
export type ConversationPatch = z.input<typeof ConversationPatchSchema>;

// ---------------------------------------------------------------------------------------------------------
// Messages

export const DeliverySchema = z.object({
  status: z.enum(['queued', 'sent', 'failed']),
  externalId: z.string().optional(),
  /** Why it is not delivered, in English (the platform's words where it gave them). */
  error: z.string().optional(),
  /** The same as a code to translate: see DeliveryErrorCode (src/queues/outbound.ts). */
  errorCode: z.string().optional(),
});
export type Delivery = z.infer<typeof DeliverySchema>;

export const GuardActionSchema = z.object({
  kind: z.enum(['warn', 'remove', 'dm']),
  status: z.enum(['pending', 'done', 'not_allowed', 'failed', 'skipped']),
  /** Why it went as it did, in English ('deleted' | 'hidden' for a removal that was done). */
  detail: z.string().nullable(),
  /** The same as a code to translate: GuardDetailCode (src/queues/actions.ts); null when there is nothing to say. */
  detailCode: z.string().nullable(),
  at: Timestamp,
});
export type GuardAction = z.infer<typeof GuardActionSchema>;

/** Who wrote a message: the customer, an agent, the guard (its warnings and advice), or another bot. */
export const AuthorSchema = z.object({
  kind: z.enum(['customer', 'agent', 'guard', 'bot']),
  /** Platform user id for a customer, user id for an agent, null for the guard. */
  id: z.string().nullable(),
  name: z.string().nullable(),
});
export type Author = z.infer<typeof AuthorSchema>;

export const MessageSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  /** `guard_advice`: the guard's private message to a customer after a public leak; `guard_warning`: its public reply. */
  kind: z.enum(['message', 'guard_advice', 'guard_warning']),
  author: AuthorSchema,
  /** Masked text (for an edited message, its latest version). */
  text: z.string(),
  language: LanguageSchema.nullable(),
  findings: z.array(FindingSchema),
  guardActions: z.array(GuardActionSchema),
  createdAt: Timestamp,
  editedAt: Timestamp.nullable(),
  deletedAt: Timestamp.nullable(),
  delivery: DeliverySchema,
});
export type Message = z.infer<typeof MessageSchema>;
/** GET /api/conversations/:id/messages: the latest `limit` messages (1,000 when absent; before message
 * `before` when given), oldest first, as always. */
export const MessageListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  /** A message id from this conversation: only older messages (to page back through a long thread). */
  before: Uuid.optional(),
});
export type MessageListQuery = z.input<typeof MessageListQuerySchema>;
export const MessageListSchema = z.object({
  items: z.array(MessageSchema),
  /** Whether older messages exist before the first item. */
  hasMore: z.boolean(),
});
export type MessageList = z.infer<typeof MessageListSchema>;

/** POST /api/conversations/:id/messages. 422 `secret_in_reply` (fields.types) when the text carries a secret. */
export const ReplyRequestSchema = z.object({ text: z.string().trim().min(1, 'must not be empty').refine(hasVisibleText, 'must not be empty') });
export type ReplyRequest = z.input<typeof ReplyRequestSchema>;

/** Finding types support never sends to a customer, in public or in private. */
export const NEVER_SENT_TYPES = ['seed_phrase', 'private_key', 'password', 'otp', 'payment_card', 'bank_account'] as const satisfies readonly FindingType[];

/** POST /api/guard/check: what the composer shows before sending. */
export const GuardCheckRequestSchema = z.object({ text: z.string().max(20_000), conversationId: Uuid });
export type GuardCheckRequest = z.input<typeof GuardCheckRequestSchema>;
export const GuardCheckResultSchema = z.object({
  /** Offsets into the text as sent (unmasked). */
  findings: z.array(FindingSchema.omit({ masked: true })),
  /** Types that would make a send fail with 422; empty means the text may go out. */
  blocked: z.array(FindingTypeSchema),
});
export type GuardCheckResult = z.infer<typeof GuardCheckResultSchema>;

// ---------------------------------------------------------------------------------------------------------
// Notes, presence

export const NoteSchema = z.object({ id: z.string(), conversationId: z.string(), author: UserRefSchema, text: z.string(), createdAt: Timestamp });
export type Note = z.infer<typeof NoteSchema>;
export const NoteListSchema = z.object({ items: z.array(NoteSchema) });
export type NoteList = z.infer<typeof NoteListSchema>;
export const NoteRequestSchema = z.object({ text: VisibleText(10_000) });
export type NoteRequest = z.input<typeof NoteRequestSchema>;

/** POST /api/conversations/:id/presence: send every ≤10 s while viewing; it lapses after 30 s. */
export const PresenceRequestSchema = z.object({ state: z.enum(['viewing', 'typing', 'left']) });
export type PresenceRequest = z.input<typeof PresenceRequestSchema>;
export const PresenceUserSchema = z.object({ id: z.string(), name: z.string(), typing: z.boolean() });
export type PresenceUser = z.infer<typeof PresenceUserSchema>;
/** The answer to a presence POST and the SSE `presence` event's data: everyone on the conversation now. */
export const PresenceSchema = z.object({ conversationId: z.string(), users: z.array(PresenceUserSchema) });
export type Presence = z.infer<typeof PresenceSchema>;

// ---------------------------------------------------------------------------------------------------------
// Canned responses

export const CannedResponseSchema = z.object({
  id: z.string(),
  /** Typed after `/` in the composer, e.g. "freeze". Lowercase letters, digits, `-` and `_`, or Chinese. */
  shortcut: z.string(),
  language: LanguageSchema,
  title: z.string(),
  text: z.string(),
});
export type CannedResponse = z.infer<typeof CannedResponseSchema>;
export const CannedResponseListSchema = z.object({ items: z.array(CannedResponseSchema) });
export type CannedResponseList = z.infer<typeof CannedResponseListSchema>;
export const CannedResponseQuerySchema = z.object({ q: z.string().trim().max(100).optional(), language: LanguageSchema.optional() });
export type CannedResponseQuery = z.input<typeof CannedResponseQuerySchema>;
const Shortcut = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(40)
  .regex(/^[\p{L}\p{N}_-]+$/u, 'must be one word: letters, digits, "-" or "_"');
export const CannedResponseCreateSchema = z.object({
  shortcut: Shortcut,
  language: LanguageSchema,
  title: VisibleText(200),
  text: VisibleText(4000),
});
export type CannedResponseCreate = z.input<typeof CannedResponseCreateSchema>;
export const CannedResponsePatchSchema = CannedResponseCreateSchema.partial().strict();
export type CannedResponsePatch = z.input<typeof CannedResponsePatchSchema>;

// ---------------------------------------------------------------------------------------------------------
// Contacts

export const ContactIdentitySchema = z.object({
  id: z.string(),
  platform: PlatformSchema,
  connectorId: z.string(),
  platformUserId: z.string(),
  handle: z.string().nullable(),
  displayName: z.string().nullable(),
});
export type ContactIdentity = z.infer<typeof ContactIdentitySchema>;

/** GET /api/contacts/:id: one customer across platforms, with every conversation (newest first). */
export const ContactSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  handle: z.string().nullable(),
  language: z.string().nullable(),
  identities: z.array(ContactIdentitySchema),
  conversations: z.array(ConversationSchema),
});
export type Contact = z.infer<typeof ContactSchema>;

/** POST /api/contacts/:id/links: merges contact `contactId` into `:id` (answers the merged Contact). */
export const ContactLinkRequestSchema = z.object({ contactId: Uuid });
export type ContactLinkRequest = z.input<typeof ContactLinkRequestSchema>;

// ---------------------------------------------------------------------------------------------------------
// Settings, demo

/** GET/PUT /api/settings/sla: first-response targets in minutes per platform (admins write). */
export const SlaSettingsSchema = z.object({
  targetsMinutes: z.strictObject({
    telegram: z.number().int().min(1).max(60 * 24 * 14),
    discord: z.number().int().min(1).max(60 * 24 * 14),
    x: z.number().int().min(1).max(60 * 24 * 14),
  }),
});
export type SlaSettings = z.infer<typeof SlaSettingsSchema>;

/** GET /api/demo: 200 in demo mode (404 otherwise), naming the platforms a demo post may go to. */
export type DemoStatus = { enabled: true; platforms: Platform[] };

/** POST /api/demo/messages (demo mode only; 404 otherwise): post as a simulated customer through a fake. */
export const DemoMessageRequestSchema = z.object({
  platform: PlatformSchema,
  visibility: VisibilitySchema,
  text: z.string().trim().min(1, 'must not be empty').max(4000),
  name: z.string().trim().min(1).max(64).optional(),
});
export type DemoMessageRequest = z.input<typeof DemoMessageRequestSchema>;
/** 202: the fake accepted the message; it reaches the inbox through the connector like any customer's. */
export const DemoMessageResultSchema = z.object({ platform: PlatformSchema, visibility: VisibilitySchema, name: z.string().nullable() });
export type DemoMessageResult = z.infer<typeof DemoMessageResultSchema>;

// ---------------------------------------------------------------------------------------------------------
// Server-Sent Events (GET /api/events): `event: <type>` with this JSON as `data`.

export type InboxEventData =
  | { type: 'message.created'; conversationId: string; messageId: string }
  | { type: 'message.updated'; conversationId: string; messageId: string }
  | { type: 'conversation.updated'; conversationId: string }
  | { type: 'guard.action'; conversationId: string; messageId: string; kind: string; status: string }
  | { type: 'note.created'; conversationId: string; note: Note }
  | ({ type: 'presence' } & Presence);
export type InboxEventType = InboxEventData['type'];
