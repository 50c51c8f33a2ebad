// The API's shapes as the web app sees them. Temporary local definitions of what /work/shared/api.md and the
// agreed additions describe; they move to `import type` from src/api/contract.ts (the API's zod schemas) when
// that lands, so the server and the app cannot drift apart.

export type Platform = 'telegram' | 'discord' | 'x';
export type Visibility = 'public' | 'private';
export type Status = 'open' | 'pending' | 'resolved';
export type Priority = 'urgent' | 'high' | 'normal' | 'low';
export type Intent = 'account_compromised' | 'forgot_password' | 'payment_failed' | 'security_question' | 'other';
export type Language = 'zh' | 'en';
export type Role = 'admin' | 'agent';

export interface Me {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  twoFactorEnabled?: boolean;
  twoFactorRequired?: boolean;
}

export interface ContactRef {
  id: string;
  displayName: string | null;
  handle: string | null;
}

export interface ConversationItem {
  id: string;
  platform: Platform;
  connectorId: string;
  connectorName?: string | null;
  visibility: Visibility;
  status: Status;
  priority?: Priority;
  intent?: Intent | null;
  contact: ContactRef | null;
  lastMessageAt: string;
  flagged: boolean;
  preview?: string | null;
  findingTypes?: string[];
  assigneeId?: string | null;
  assignee?: { id: string; name: string | null; email?: string } | null;
  firstResponseDueAt?: string | null;
  firstRespondedAt?: string | null;
  overdue?: boolean;
  connectorEnabled?: boolean;
  language?: Language | null;
}

export interface Finding {
  type: string;
  start: number;
  end: number;
  masked?: boolean;
}

export interface GuardAction {
  kind: string;
  status: string;
  detail?: string | null;
  at?: string | null;
}

export interface Message {
  id: string;
  direction: 'inbound' | 'outbound';
  author: { id?: string | null; kind?: 'customer' | 'agent' | 'guard' | 'bot'; name?: string | null } | null;
  kind?: 'message' | 'guard_advice' | 'guard_warning';
  text: string | null;
  findings: Finding[];
  createdAt: string;
  editedAt?: string | null;
  deletedAt?: string | null;
  delivery?: { status: 'queued' | 'sent' | 'failed'; externalId?: string | null; error?: string | null } | null;
  guardActions?: GuardAction[];
}

export interface Note {
  id: string;
  author: { id: string; name: string | null } | null;
  text: string;
  createdAt: string;
}

export interface Agent {
  id: string;
  name: string | null;
  role: Role;
}

export interface CannedResponse {
  id: string;
  shortcut: string;
  language: Language;
  title: string;
  text: string;
}

export interface GuardCheck {
  findings: Finding[];
  blocked: string[];
}

export interface Identity {
  id: string;
  platform: Platform;
  connectorId: string;
  platformUserId: string;
  handle: string | null;
  displayName: string | null;
}

export interface Contact {
  id: string;
  displayName: string | null;
  handle: string | null;
  language: Language | null;
  identities: Identity[];
  conversations: ConversationItem[];
}

export interface PresenceUser {
  id: string;
  name: string | null;
  typing: boolean;
}

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

export interface User {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  active: boolean;
  createdAt: string;
  twoFactorEnabled?: boolean;
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

/** Server-Sent Events from GET /api/events. Events carry ids; some carry the changed object too. */
export type LiveEvent =
  | { type: 'message.created'; conversationId: string; messageId: string; message?: Message }
  | { type: 'message.updated'; conversationId: string; messageId: string; message?: Message }
  | { type: 'conversation.updated'; conversationId: string; conversation?: ConversationItem }
  | { type: 'guard.action'; conversationId: string; messageId: string; kind: string; status: string }
  | { type: 'presence'; conversationId: string; users: PresenceUser[] }
  | { type: 'note.created'; conversationId: string; note: Note };

export type LiveEventType = LiveEvent['type'];
