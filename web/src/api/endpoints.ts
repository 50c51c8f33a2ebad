// Every API call the app makes, typed. Paths and shapes: /work/shared/api.md plus the agreed additions.
import { qs, request, type RequestOptions } from './client.ts';
import type {
  Agent,
  ApiToken,
  AuditEntry,
  CannedResponse,
  Connector,
  Contact,
  ConversationItem,
  GuardCheck,
  GuardPolicy,
  Language,
  Me,
  Message,
  Note,
  Page,
  Platform,
  Priority,
  PresenceUser,
  Intent,
  Status,
  User,
  Visibility,
} from './types.ts';

const id = (value: string) => encodeURIComponent(value);

/** Filters of the conversation list (GET /api/conversations). Empty strings mean "any". */
export interface ConversationFilters {
  status: Status | '';
  platform: Platform | '';
  visibility: Visibility | '';
  flagged: 'true' | '';
  priority: Priority | '';
  q: string;
}

export interface ConversationPatch {
  status?: Status;
  assigneeId?: string | null;
  priority?: Priority;
  intent?: Intent;
}

export const api = {
  // Session and account
  session: () => request<Me>('GET', '/api/session', undefined, { quiet401: true }),
  signIn: (email: string, password: string, otp?: string) => request<Me>('POST', '/api/session', { email, password, ...(otp ? { otp } : {}) }, { quiet401: true }),
  signOut: () => request<void>('DELETE', '/api/session', undefined, { quiet401: true }),
  twoFactorSetup: () => request<{ secret: string; otpauthUrl: string }>('POST', '/api/account/2fa/setup', {}),
  twoFactorEnable: (otp: string) => request<{ recoveryCodes: string[] }>('POST', '/api/account/2fa/enable', { otp }),
  twoFactorDisable: (password: string) => request<void>('DELETE', '/api/account/2fa', { password }),
  changePassword: (currentPassword: string, newPassword: string) => request<void>('POST', '/api/account/password', { currentPassword, newPassword }),
  tokens: () => request<Page<ApiToken>>('GET', '/api/tokens'),
  createToken: (name: string, expiresAt?: string) => request<ApiToken & { token: string }>('POST', '/api/tokens', { name, ...(expiresAt ? { expiresAt } : {}) }),
  revokeToken: (tid: string) => request<void>('DELETE', `/api/tokens/${id(tid)}`),

  // Inbox
  conversations: (filters: Partial<ConversationFilters>, cursor?: string | null, limit?: number, options?: RequestOptions) =>
    request<Page<ConversationItem>>('GET', `/api/conversations${qs({ ...filters, cursor, limit })}`, undefined, options),
  conversation: (cid: string) => request<ConversationItem>('GET', `/api/conversations/${id(cid)}`),
  /** The thread, oldest first; `limit` keeps only the latest N (the API's default is its maximum, 1,000). */
  messages: (cid: string, limit?: number) => request<Page<Message>>('GET', `/api/conversations/${id(cid)}/messages${qs({ limit })}`),
  reply: (cid: string, text: string) => request<Message>('POST', `/api/conversations/${id(cid)}/messages`, { text }),
  updateConversation: (cid: string, patch: ConversationPatch) => request<ConversationItem>('PATCH', `/api/conversations/${id(cid)}`, patch),
  notes: (cid: string) => request<Page<Note>>('GET', `/api/conversations/${id(cid)}/notes`),
  addNote: (cid: string, text: string) => request<Note>('POST', `/api/conversations/${id(cid)}/notes`, { text }),
  presence: (cid: string, state: 'viewing' | 'typing' | 'left') => request<{ conversationId: string; users: PresenceUser[] }>('POST', `/api/conversations/${id(cid)}/presence`, { state }),
  guardCheck: (conversationId: string, text: string) => request<GuardCheck>('POST', '/api/guard/check', { text, conversationId }),
  agents: () => request<Page<Agent>>('GET', '/api/agents'),
  cannedResponses: (params: { q?: string; language?: Language | '' } = {}) => request<Page<CannedResponse>>('GET', `/api/canned-responses${qs(params)}`),
  createCanned: (body: Omit<CannedResponse, 'id'>) => request<CannedResponse>('POST', '/api/canned-responses', body),
  updateCanned: (cid: string, patch: Partial<Omit<CannedResponse, 'id'>>) => request<CannedResponse>('PATCH', `/api/canned-responses/${id(cid)}`, patch),
  deleteCanned: (cid: string) => request<void>('DELETE', `/api/canned-responses/${id(cid)}`),
  contact: (cid: string) => request<Contact>('GET', `/api/contacts/${id(cid)}`),
  linkContact: (cid: string, otherContactId: string) => request<Contact>('POST', `/api/contacts/${id(cid)}/links`, { contactId: otherContactId }),
  unlinkIdentity: (cid: string, identityId: string) => request<Contact>('DELETE', `/api/contacts/${id(cid)}/identities/${id(identityId)}`),
  demoStatus: () => request<{ enabled: true; platforms: Platform[] }>('GET', '/api/demo'),
  demoPost: (body: { platform: Platform; visibility: Visibility; text: string; name?: string }) => request<unknown>('POST', '/api/demo/messages', body),

  // Admin
  connectors: () => request<Page<Connector>>('GET', '/api/connectors'),
  createConnector: (body: unknown) => request<Connector>('POST', '/api/connectors', body),
  updateConnector: (cid: string, patch: unknown) => request<Connector>('PATCH', `/api/connectors/${id(cid)}`, patch),
  deleteConnector: (cid: string) => request<void>('DELETE', `/api/connectors/${id(cid)}`),
  users: () => request<Page<User>>('GET', '/api/users'),
  createUser: (body: { email: string; password: string; role: string; name?: string }) => request<User>('POST', '/api/users', body),
  updateUser: (uid: string, patch: Record<string, unknown>) => request<User>('PATCH', `/api/users/${id(uid)}`, patch),
  guardPolicy: () => request<GuardPolicy>('GET', '/api/guard/policy'),
  saveGuardPolicy: (policy: GuardPolicy) => request<GuardPolicy>('PUT', '/api/guard/policy', policy),
  audit: (filters: Record<string, string>, cursor?: string | null) => request<Page<AuditEntry>>('GET', `/api/audit${qs({ ...filters, cursor })}`),
  securitySettings: () => request<{ requireTwoFactor: boolean }>('GET', '/api/settings/security'),
  saveSecuritySettings: (body: { requireTwoFactor: boolean }) => request<{ requireTwoFactor: boolean }>('PUT', '/api/settings/security', body),
  slaSettings: () => request<{ targetsMinutes: Record<Platform, number> }>('GET', '/api/settings/sla'),
  saveSlaSettings: (body: { targetsMinutes: Record<Platform, number> }) => request<{ targetsMinutes: Record<Platform, number> }>('PUT', '/api/settings/sla', body),
};
