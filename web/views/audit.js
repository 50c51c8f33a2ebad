// Admin: the append-only audit log, newest first, filterable by actor, action and date, with "load more".
import { api } from '../api.js';
import { fullTime, h, icon, relativeSentence, replaceChildren } from '../dom.js';

const ACTIONS = [
  ['', 'All actions'],
  ['session', 'Sign-ins'],
  ['message', 'Replies'],
  ['conversation', 'Conversation changes'],
  ['guard', 'Guard actions'],
  ['connector', 'Connectors'],
  ['user', 'Users'],
  ['token', 'API tokens'],
];

export function mountAudit(container) {
  const s = { users: new Map(), filters: { actor: '', action: '', since: '' }, items: [], nextCursor: null, loading: false, error: null, token: 0, disposed: false };

  const actorSelect = h('select', { class: 'select-sm', 'aria-label': 'Actor', onchange: (e) => setFilter('actor', e.target.value) }, h('option', { value: '' }, 'Everyone'));
  const actionSelect = h('select', { class: 'select-sm', 'aria-label': 'Action', onchange: (e) => setFilter('action', e.target.value) }, ACTIONS.map(([v, l]) => h('option', { value: v }, l)));
  const sinceInput = h('input', { type: 'datetime-local', class: 'input-sm', 'aria-label': 'Since', onchange: (e) => setFilter('since', e.target.value) });
  const tbody = h('tbody');
  const foot = h('div', { class: 'table-foot' });
  const errorBox = h('div', { class: 'form-error', role: 'alert', hidden: true });

  replaceChildren(
    container,
    h(
      'div',
      { class: 'admin-page' },
      h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Audit log'), h('p', { class: 'muted' }, 'Everything people and the guard did, newest first. Entries cannot be changed or deleted.'))),
      h(
        'div',
        { class: 'toolbar' },
        h('label', { class: 'inline-field' }, h('span', {}, 'Who'), actorSelect),
        h('label', { class: 'inline-field' }, h('span', {}, 'What'), actionSelect),
        h('label', { class: 'inline-field' }, h('span', {}, 'Since'), sinceInput),
        h(
          'button',
          {
            class: 'btn btn-sm btn-ghost',
            type: 'button',
            onclick: () => {
              s.filters = { actor: '', action: '', since: '' };
              actorSelect.value = actionSelect.value = sinceInput.value = '';
              load();
            },
          },
          'Clear',
        ),
      ),
      errorBox,
      h(
        'div',
        { class: 'card table-card' },
        h('table', { class: 'table audit-table' }, h('thead', {}, h('tr', {}, h('th', {}, 'When'), h('th', {}, 'Who'), h('th', {}, 'Action'), h('th', {}, 'Target'), h('th', {}, 'Details'))), tbody),
        foot,
      ),
    ),
  );

  function setFilter(key, value) {
    s.filters[key] = value;
    load();
  }

  function query() {
    const q = { actor: s.filters.actor, action: s.filters.action };
    if (s.filters.since) q.since = new Date(s.filters.since).toISOString();
    return q;
  }

  async function load({ more = false } = {}) {
    const token = ++s.token;
    s.loading = true;
    if (!more) {
      s.items = [];
      s.nextCursor = null;
    }
    render();
    try {
      const page = await api.audit(query(), more ? s.nextCursor : undefined);
      if (token !== s.token || s.disposed) return;
      s.items = more ? [...s.items, ...page.items] : page.items;
      s.nextCursor = page.nextCursor;
      s.error = null;
    } catch (err) {
      if (token !== s.token || s.disposed) return;
      s.error = err.message;
    }
    s.loading = false;
    render();
  }

  function actorName(id) {
    if (!id) return h('span', { class: 'system' }, icon('shield'), 'Guard / system');
    const u = s.users.get(id);
    return u ? h('span', { title: u.email }, u.name || u.email) : h('code', { class: 'muted small' }, id.slice(0, 8));
  }

  function details(data) {
    if (!data || typeof data !== 'object' || !Object.keys(data).length) return h('span', { class: 'muted' }, '—');
    return h(
      'div',
      { class: 'audit-data' },
      Object.entries(data)
        .filter(([, v]) => v !== undefined && v !== null)
        .map(([k, v]) => h('span', { class: 'kvchip' }, h('span', { class: 'kv-k' }, k), h('span', { class: 'kv-v' }, Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v)))),
    );
  }

  function target(e) {
    if (!e.targetType) return '—';
    const id = e.targetId ?? '';
    const short = h('code', { class: 'small', title: id }, id.slice(0, 8));
    const user = e.targetType === 'user' ? s.users.get(id) : null;
    return [
      h('span', { class: 'muted' }, `${e.targetType} `),
      e.targetType === 'conversation' && id ? h('a', { href: `#/inbox/${encodeURIComponent(id)}`, title: 'Open the conversation' }, short) : user ? h('span', { title: id }, user.email) : short,
    ];
  }

  function render() {
    errorBox.textContent = s.error ?? '';
    errorBox.hidden = !s.error;
    if (!s.items.length) {
      replaceChildren(tbody, h('tr', {}, h('td', { colspan: '5', class: 'muted center pad' }, s.loading ? 'Loading…' : 'No entries match these filters.')));
    } else {
      replaceChildren(
        tbody,
        s.items.map((e) =>
          h(
            'tr',
            {},
            h('td', { class: 'nowrap', title: fullTime(e.createdAt) }, fullTime(e.createdAt), h('span', { class: 'muted small' }, ` · ${relativeSentence(e.createdAt)}`)),
            h('td', { class: 'nowrap' }, actorName(e.actorId)),
            h('td', {}, h('code', { class: 'action-code' }, e.action)),
            h('td', { class: 'nowrap' }, target(e)),
            h('td', {}, details(e.data)),
          ),
        ),
      );
    }
    replaceChildren(
      foot,
      s.nextCursor ? h('button', { class: 'btn btn-ghost btn-block', type: 'button', disabled: s.loading, onclick: () => load({ more: true }) }, s.loading ? 'Loading…' : 'Load more') : s.items.length ? h('div', { class: 'muted small center' }, `${s.items.length} entries · end of the log`) : null,
    );
  }

  (async () => {
    try {
      const users = (await api.users()).items;
      for (const u of users) s.users.set(u.id, u);
      for (const u of users) actorSelect.append(h('option', { value: u.id }, `${u.name || u.email} (${u.email})`));
      if (s.items.length) render();
    } catch {}
  })();
  load();
  return { unmount: () => (s.disposed = true) };
}
