// Admin: the people who work the inbox. Roles, deactivation (takes effect at once) and password resets.
import { api } from '../api.js';
import { avatar, fullTime, h, relativeSentence, replaceChildren, toast } from '../dom.js';
import { field, fieldErrors, formError, select, toggle } from './forms.js';

export function mountUsers(container, ctx) {
  const { me } = ctx;
  const s = { items: [], loading: true, error: null, adding: false, resetting: null, disposed: false };
  const body = h('div', { class: 'admin-body' });
  replaceChildren(
    container,
    h(
      'div',
      { class: 'admin-page' },
      h(
        'div',
        { class: 'page-head' },
        h('div', {}, h('h1', {}, 'Users'), h('p', { class: 'muted' }, 'Agents work the inbox; admins also manage connectors, users and the guard. Deactivating someone signs them out everywhere at once.')),
        h('button', { class: 'btn btn-primary', type: 'button', onclick: () => ((s.adding = true), render(), body.querySelector('input[name=email]')?.focus()) }, '+ New user'),
      ),
      body,
    ),
  );

  async function load() {
    try {
      s.items = (await api.users()).items;
      s.error = null;
    } catch (err) {
      s.error = err.message;
    }
    s.loading = false;
    if (!s.disposed) render();
  }

  function render() {
    replaceChildren(
      body,
      s.adding ? newUserForm() : null,
      s.loading
        ? h('div', { class: 'card pad muted' }, 'Loading users…')
        : s.error
          ? h('div', { class: 'card pad error-text' }, s.error)
          : h(
              'div',
              { class: 'card table-card' },
              h(
                'table',
                { class: 'table' },
                h('thead', {}, h('tr', {}, h('th', {}, 'Person'), h('th', {}, 'Role'), h('th', {}, 'Active'), h('th', {}, 'Added'), h('th', { class: 'right' }, ''))),
                h('tbody', {}, s.items.map(userRow)),
              ),
            ),
    );
  }

  function userRow(u) {
    const self = u.id === me.id;
    const rows = [
      h(
        'tr',
        { class: [!u.active && 'row-inactive'], dataset: { id: u.id } },
        h('td', {}, h('div', { class: 'person' }, avatar(u.id, u.name || u.email, 'sm'), h('div', {}, h('div', { class: 'person-name' }, u.name || '—', self ? h('span', { class: 'muted' }, ' (you)') : null), h('div', { class: 'muted small' }, u.email)))),
        h(
          'td',
          {},
          select('role', [['agent', 'Agent'], ['admin', 'Admin']], u.role, {
            class: 'select-sm',
            'aria-label': `Role of ${u.email}`,
            onchange: (e) => patch(u, { role: e.target.value }, `${u.email} is now ${e.target.value === 'admin' ? 'an admin' : 'an agent'}`),
          }),
        ),
        h(
          'td',
          {},
          toggle('active', u.active, u.active ? 'Active' : 'Deactivated', {
            'aria-label': `${u.email} active`,
            onchange: (e) => {
              const active = e.target.checked;
              if (!active && !confirm(`Deactivate ${u.email}? They are signed out everywhere at once and their API tokens stop working.`)) {
                e.target.checked = true;
                return;
              }
              patch(u, { active }, `${u.email} ${active ? 'reactivated' : 'deactivated'}`);
            },
          }),
        ),
        h('td', { class: 'muted', title: fullTime(u.createdAt) }, relativeSentence(u.createdAt)),
        h(
          'td',
          { class: 'right' },
          h('button', { class: 'btn btn-sm btn-ghost', type: 'button', onclick: () => ((s.resetting = s.resetting === u.id ? null : u.id), render(), body.querySelector('.reset-form input')?.focus()) }, 'Reset password'),
        ),
      ),
    ];
    if (s.resetting === u.id) rows.push(h('tr', { class: 'row-form' }, h('td', { colspan: '5' }, resetForm(u))));
    return rows;
  }

  async function patch(u, change, done) {
    try {
      await api.updateUser(u.id, change);
      toast(done, 'ok');
    } catch (err) {
      toast(err.message, 'error');
    }
    await load();
  }

  function resetForm(u) {
    const error = h('div', { class: 'form-error', role: 'alert', hidden: true });
    const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', placeholder: 'At least 8 characters' });
    const form = h(
      'form',
      {
        class: 'reset-form inline-form',
        onsubmit: async (e) => {
          e.preventDefault();
          formError(error, null);
          fieldErrors(form, {});
          try {
            await api.updateUser(u.id, { password: password.value });
            toast(`New password set for ${u.email}; their other sessions were signed out.`, 'ok');
            s.resetting = null;
            render();
          } catch (err) {
            fieldErrors(form, err.fields);
            formError(error, err.message);
          }
        },
        onkeydown: (e) => e.key === 'Escape' && ((s.resetting = null), render()),
      },
      field(`New password for ${u.email}`, password),
      h('button', { class: 'btn btn-primary btn-sm', type: 'submit' }, 'Set password'),
      h('button', { class: 'btn btn-ghost btn-sm', type: 'button', onclick: () => ((s.resetting = null), render()) }, 'Cancel'),
      error,
    );
    return form;
  }

  function newUserForm() {
    const error = h('div', { class: 'form-error', role: 'alert', hidden: true });
    const form = h(
      'form',
      {
        class: 'card new-user-form',
        novalidate: true,
        onsubmit: async (e) => {
          e.preventDefault();
          formError(error, null);
          fieldErrors(form, {});
          const data = new FormData(form);
          const body = { email: String(data.get('email')).trim(), password: String(data.get('password')), role: String(data.get('role')) };
          const name = String(data.get('name') ?? '').trim();
          if (name) body.name = name;
          try {
            await api.createUser(body);
            toast(`Added ${body.email}`, 'ok');
            s.adding = false;
            await load();
          } catch (err) {
            const unmatched = fieldErrors(form, err.fields);
            formError(error, unmatched.length || !Object.keys(err.fields ?? {}).length ? err.message : 'Check the highlighted fields.');
          }
        },
        onkeydown: (e) => e.key === 'Escape' && ((s.adding = false), render()),
      },
      h('div', { class: 'form-head' }, h('h3', {}, 'New user')),
      error,
      h(
        'div',
        { class: 'form-grid' },
        field('Email', h('input', { name: 'email', type: 'email', autocomplete: 'off', required: true })),
        field('Name', h('input', { name: 'name', placeholder: 'Optional; defaults to the email’s first part' })),
        field('Role', select('role', [['agent', 'Agent'], ['admin', 'Admin']], 'agent')),
        field('Password', h('input', { name: 'password', type: 'password', autocomplete: 'new-password', placeholder: 'At least 8 characters' }), 'Share it with them privately; they can be given a new one at any time.'),
      ),
      h('div', { class: 'form-actions' }, h('button', { class: 'btn btn-primary', type: 'submit' }, 'Create user'), h('button', { class: 'btn btn-ghost', type: 'button', onclick: () => ((s.adding = false), render()) }, 'Cancel')),
    );
    return form;
  }

  render();
  load();
  return { unmount: () => (s.disposed = true) };
}
