// The HTTP client: JSON in and out, the session cookie (httpOnly, never seen by this code) sent same-origin,
// and the API's one error shape turned into an ApiError.

export class ApiError extends Error {
  constructor(status, code, message, fields) {
    super(message);
    this.status = status;
    this.code = code;
    /** Field path → message, from a 400's `error.fields`. */
    this.fields = fields ?? {};
  }
}

let onUnauthorized = () => {};
/** Called when any request other than the session check gets a 401 (the session expired or was revoked). */
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

export async function request(method, path, body, { quiet401 = false } = {}) {
  let res;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection and try again.');
  }
  if (res.status === 204) return undefined;
  const text = await res.text();
  let data;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const e = data && typeof data === 'object' && data.error ? data.error : {};
    const error = new ApiError(res.status, e.code ?? `http_${res.status}`, e.message ?? `The server answered ${res.status} ${res.statusText}.`, e.fields);
    if (res.status === 401 && !quiet401) onUnauthorized(error);
    throw error;
  }
  return data;
}

const qs = (params) => {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : '';
};
const id = (value) => encodeURIComponent(value);

export const api = {
  // Session
  session: () => request('GET', '/api/session', undefined, { quiet401: true }),
  signIn: (email, password) => request('POST', '/api/session', { email, password }, { quiet401: true }),
  signOut: () => request('DELETE', '/api/session', undefined, { quiet401: true }),

  // Inbox
  conversations: (filters, cursor) => request('GET', `/api/conversations${qs({ ...filters, cursor })}`),
  conversation: (cid) => request('GET', `/api/conversations/${id(cid)}`),
  messages: (cid) => request('GET', `/api/conversations/${id(cid)}/messages`),
  reply: (cid, text) => request('POST', `/api/conversations/${id(cid)}/messages`, { text }),
  updateConversation: (cid, patch) => request('PATCH', `/api/conversations/${id(cid)}`, patch),

  // Admin
  connectors: () => request('GET', '/api/connectors'),
  createConnector: (body) => request('POST', '/api/connectors', body),
  updateConnector: (cid, patch) => request('PATCH', `/api/connectors/${id(cid)}`, patch),
  deleteConnector: (cid) => request('DELETE', `/api/connectors/${id(cid)}`),
  users: () => request('GET', '/api/users'),
  createUser: (body) => request('POST', '/api/users', body),
  updateUser: (uid, patch) => request('PATCH', `/api/users/${id(uid)}`, patch),
  guardPolicy: () => request('GET', '/api/guard/policy'),
  saveGuardPolicy: (policy) => request('PUT', '/api/guard/policy', policy),
  audit: (filters, cursor) => request('GET', `/api/audit${qs({ ...filters, cursor })}`),
};
