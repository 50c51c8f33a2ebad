// The API's shapes as the web app sees them: types imported from the API's own zod schemas
// (src/api/contract.ts, types only: nothing of the server is bundled), so the server and the app cannot
// drift apart. The few shapes the contract does not cover yet (admin pages) are declared here.
import type {
  Agent,
  CannedResponse,
  Contact,
  ContactIdentity,
  ContactRef,
  Conversation,
  ConversationDetail,
  Finding,
  GuardAction,
  GuardCheckResult,
  InboxEventData,
  Intent,
  Language,
  Message,
  Note,
  Platform,
  PresenceUser,
  Priority,
  Role,
  SessionUser,
  Status,
  User as ContractUser,
  Visibility,
} from '../../../src/api/contract.ts';

export type { Agent, CannedResponse, Contact, ContactRef, Finding, GuardAction, Intent, Language, Message, Note, Platform, PresenceUser, Priority, Role, Status, Visibility };
export type Identity = ContactIdentity;
export type Me = SessionUser;
/** A conversation as the list has it; the detail (GET /api/conversations/:id) adds a few fields. */
export type ConversationItem = Conversation & Partial<Pick<ConversationDetail, 'replyMaxLength' | 'externalThreadId'>>;
export type GuardCheck = GuardCheckResult;
/** GET /api/users items; `twoFactorEnabled` when the server reports it. */
export type User = ContractUser & { twoFactorEnabled?: boolean };

export interface Connector {
  id: string;
  platform: Platform;
  name: string;
  enabled: boolean;
  settings: Record<string, unknown>;
  credentialsSet?: boolean;
  webhookUrl?: string | null;
  botUserId?: string | null;
  health?: { status: string; at?: string | null; lastError?: string | null } | null;
}

export interface AuditEntry {
  id: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  data: Record<string, unknown> | null;
  createdAt: string;
}

export interface ApiToken {
  id: string;
  name: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  userId: string;
}

export interface GuardPolicy {
  types: Record<string, { maskPrivate: boolean; maskPublic: boolean; publicAction: string }>;
  templates: Record<string, Record<string, string | Record<string, string>>>;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

/** Server-Sent Events from GET /api/events (ids only, except notes and presence, which carry their data). */
export type LiveEvent = InboxEventData;
export type LiveEventType = LiveEvent['type'];
