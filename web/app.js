// The agents' and admins' app: sign-in, the shell (top bar and navigation), hash routing and the live event
// stream. Each page lives in views/*.js and exports mount(container, ctx) → {unmount, onEvent?, onKey?}.
import { api, setUnauthorizedHandler } from './api.js';
import { h, icon, isTyping, replaceChildren, toast } from './dom.js';
import { mountSignIn } from './views/signin.js';
import { mountInbox } from './views/inbox.js';
import { mountConnectors } from './views/connectors.js';
import { mountUsers } from './views/users.js';
import { mountGuardPolicy } from './views/guard.js';
import { mountAudit } from './views/audit.js';

const root = document.getElementById('app');

const ROUTES = [
  { path: 'inbox', label: 'Inbox', mount: mountInbox, key: 'g i' },
  { path: 'admin/connectors', label: 'Connectors', mount: mountConnectors, admin: true },
  { path: 'admin/users', label: 'Users', mount: mountUsers, admin: true },
  { path: 'admin/guard', label: 'Guard policy', mount: mountGuardPolicy, admin: true },
  { path: 'admin/audit', label: 'Audit log', mount: mountAudit, admin: true },
];

const state = {
  me: null,
  view: null,
  routePath: null,
  events: null,
  live: 'off', // off | connecting | live | reconnecting
  reconnectTimer: null,
  reconnectDelay: 1000,
};

// ---------------------------------------------------------------------------------------------------------------
// Routing: #/inbox, #/inbox/<conversation id>, #/admin/<page>

function parseHash() {
  const raw = decodeURIComponent(location.hash.replace(/^#\/?/, ''));
  const parts = raw.split('/').filter(Boolean);
  if (parts[0] === 'admin' && parts[1]) return { path: `admin/${parts[1]}`, param: parts[2] ?? null };
  return { path: parts[0] || 'inbox', param: parts[1] ?? null };
}

export function navigate(hash, { replace = false } = {}) {
  const target = hash.startsWith('#') ? hash : `#/${hash}`;
  if (location.hash === target) return;
  if (replace) history.replaceState(null, '', target);
  else location.hash = target;
  if (replace) route();
}

function route() {
  if (!state.me) return;
  let { path, param } = parseHash();
  let def = ROUTES.find((r) => r.path === path);
  if (!def || (def.admin && state.me.role !== 'admin')) {
    def = ROUTES[0];
    path = def.path;
    param = null;
    history.replaceState(null, '', '#/inbox');
  }
  for (const link of document.querySelectorAll('.nav a')) link.classList.toggle('active', link.dataset.path === path);
  document.title = `${def.label} · Support Inbox`;
  if (state.routePath === path && state.view?.setParam) {
    state.view.setParam(param);
    return;
  }
  state.view?.unmount?.();
  const main = document.getElementById('main');
  replaceChildren(main);
  main.scrollTop = 0;
  state.routePath = path;
  state.view = def.mount(main, { me: state.me, param, navigate, api }) ?? null;
}

window.addEventListener('hashchange', route);

// ---------------------------------------------------------------------------------------------------------------
// Live events: EventSource reconnects by itself after network errors; when the server refuses the stream (a 401
// after the session ended, a 5xx) it gives up, so we re-check the session and reconnect with a backoff.

function setLive(status) {
  state.live = status;
  const el = document.getElementById('live');
  if (!el) return;
  el.className = `live live-${status}`;
  el.title = { live: 'Live updates on', connecting: 'Connecting to live updates…', reconnecting: 'Live updates interrupted; reconnecting…', off: 'Live updates off' }[status];
  el.lastChild.textContent = { live: 'Live', connecting: 'Connecting', reconnecting: 'Reconnecting', off: 'Offline' }[status];
}

function connectEvents() {
  disconnectEvents();
  setLive('connecting');
  const source = new EventSource('/api/events', { withCredentials: true });
  state.events = source;
  source.onopen = () => {
    state.reconnectDelay = 1000;
    setLive('live');
    // Whatever happened while we were away: refresh once.
    state.view?.onEvent?.('reconnected', {});
  };
  source.onerror = () => {
    if (state.events !== source) return;
    if (source.readyState === EventSource.CLOSED) {
      setLive('reconnecting');
      clearTimeout(state.reconnectTimer);
      state.reconnectTimer = setTimeout(async () => {
        try {
          await api.session();
          if (state.me) connectEvents();
        } catch (err) {
          if (err.status === 401) signedOut('Your session ended. Please sign in again.');
          else {
            state.reconnectDelay = Math.min(state.reconnectDelay * 2, 30_000);
            connectEvents();
          }
        }
      }, state.reconnectDelay);
    } else {
      setLive('reconnecting');
    }
  };
  for (const type of ['message.created', 'message.updated', 'conversation.updated', 'guard.action']) {
    source.addEventListener(type, (e) => {
      let data = {};
      try {
        data = JSON.parse(e.data);
      } catch {}
      state.view?.onEvent?.(type, data);
    });
  }
}

function disconnectEvents() {
  clearTimeout(state.reconnectTimer);
  state.events?.close();
  state.events = null;
}

// ---------------------------------------------------------------------------------------------------------------
// Shell

function renderShell() {
  const me = state.me;
  const nav = h(
    'nav',
    { class: 'nav', 'aria-label': 'Main' },
    ROUTES.filter((r) => !r.admin || me.role === 'admin').map((r, i) =>
      h('a', { href: `#/${r.path}`, dataset: { path: r.path }, class: r.admin && i === 1 ? 'nav-first-admin' : null }, r.label),
    ),
  );
  const live = h('span', { id: 'live', class: 'live live-off' }, h('span', { class: 'live-dot', 'aria-hidden': 'true' }), h('span', {}, 'Offline'));
  const user = h(
    'div',
    { class: 'me' },
    h('span', { class: 'me-text' }, h('span', { class: 'me-name' }, me.name || me.email), h('span', { class: ['role', `role-${me.role}`] }, me.role)),
    h('button', { class: 'btn btn-ghost btn-sm', type: 'button', onclick: signOut, title: 'Sign out' }, 'Sign out'),
  );
  replaceChildren(
    root,
    h(
      'div',
      { class: 'shell' },
      h(
        'header',
        { class: 'topbar' },
        h('a', { class: 'brand', href: '#/inbox' }, h('span', { class: 'brand-mark' }, icon('shield')), h('span', {}, 'Support Inbox')),
        nav,
        h('div', { class: 'topbar-right' }, live, user),
      ),
      h('main', { id: 'main', class: 'main' }),
    ),
  );
}

async function signOut() {
  try {
    await api.signOut();
  } catch {}
  signedOut();
}

function signedOut(notice) {
  disconnectEvents();
  state.view?.unmount?.();
  state.view = null;
  state.routePath = null;
  state.me = null;
  document.title = 'Sign in · Support Inbox';
  mountSignIn(root, { notice, onSignedIn: signedIn });
}

function signedIn(me) {
  state.me = me;
  renderShell();
  route();
  connectEvents();
}

setUnauthorizedHandler(() => {
  if (state.me) signedOut('Your session ended. Please sign in again.');
});

// Global keys: "g i" inbox, "g c" connectors, "g u" users, "g p" guard policy, "g a" audit; "?" shortcuts.
let pendingG = 0;
document.addEventListener('keydown', (e) => {
  if (!state.me || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
  if (isTyping(e.target)) return;
  if (e.key === '?') {
    e.preventDefault();
    toggleHelp();
    return;
  }
  if (e.key === 'Escape' && document.querySelector('.help-overlay')) {
    toggleHelp();
    return;
  }
  if (e.key === 'g') {
    pendingG = Date.now();
    return;
  }
  if (Date.now() - pendingG < 1200) {
    pendingG = 0;
    const target = { i: 'inbox', c: 'admin/connectors', u: 'admin/users', p: 'admin/guard', a: 'admin/audit' }[e.key];
    if (target && (target === 'inbox' || state.me.role === 'admin')) {
      e.preventDefault();
      navigate(`#/${target}`);
    }
    return;
  }
  state.view?.onKey?.(e);
});

function toggleHelp() {
  const existing = document.querySelector('.help-overlay');
  if (existing) {
    existing.remove();
    return;
  }
  const rows = [
    ['j / k', 'Next / previous conversation'],
    ['Enter', 'Open the selected conversation'],
    ['r', 'Write a reply'],
    ['Ctrl + Enter', 'Send the reply (⌘ + Enter on a Mac)'],
    ['Esc', 'Leave the reply box'],
    ['/', 'Jump to the filters'],
    ['g i', 'Go to the inbox'],
    ...(state.me?.role === 'admin'
      ? [
          ['g c', 'Go to connectors'],
          ['g u', 'Go to users'],
          ['g p', 'Go to the guard policy'],
          ['g a', 'Go to the audit log'],
        ]
      : []),
    ['?', 'Show or hide this help'],
  ];
  const overlay = h(
    'div',
    { class: 'help-overlay', onclick: (e) => e.target === overlay && overlay.remove() },
    h(
      'div',
      { class: 'help-card', role: 'dialog', 'aria-label': 'Keyboard shortcuts' },
      h('h2', {}, 'Keyboard shortcuts'),
      h('table', { class: 'help-table' }, h('tbody', {}, rows.map(([k, v]) => h('tr', {}, h('td', {}, h('kbd', {}, k)), h('td', {}, v))))),
      h('button', { class: 'btn btn-sm', type: 'button', onclick: () => overlay.remove() }, 'Close'),
    ),
  );
  document.body.append(overlay);
}

// ---------------------------------------------------------------------------------------------------------------
// Start: the session check decides between the sign-in screen and the app.

async function start() {
  try {
    root.classList.remove('boot');
    const me = await api.session();
    signedIn(me);
  } catch (err) {
    root.classList.remove('boot');
    if (err.status === 401) signedOut();
    else {
      signedOut();
      toast(err.message, 'error');
    }
  }
}

start();
