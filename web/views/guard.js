// Admin: the guard policy. A structured form (per kind of data: masking and what happens in public; the
// customer-facing texts per language) and the same policy as raw JSON. The server validates; its 400
// `error.fields` are shown next to the matching input (form) or listed under the editor (JSON).
import { api } from '../api.js';
import { findingLabel, h, replaceChildren, toast } from '../dom.js';
import { formError } from './forms.js';

const PUBLIC_ACTIONS = [
  ['remove_warn_dm', 'Remove, warn in public & send private advice'],
  ['warn', 'Warn in public only'],
  ['none', 'Do nothing on the platform'],
];

const GROUP_LABEL = {
  wallet: 'Recovery phrase or private key',
  account: 'Password or one-time code',
  token: 'API key or token',
  financial: 'Card or bank details',
  identity: 'ID number',
  contact: 'Phone number or email',
};
const TEMPLATE_LABEL = {
  publicWarning: ['Public warning', 'Posted as a reply in public, by kind of data. It names the kind, never the secret.'],
  removed: ['After a removal', 'Appended to the public warning when the post was removed.'],
  notRemoved: ['When removal failed', 'Appended when the post could not be removed.'],
  dmSent: ['After private advice', 'Appended when the private advice was delivered.'],
  dmInvite: ['When no DM was possible', 'Appended when the customer could not be messaged privately.'],
  dm: ['Private advice', 'Sent privately to the customer, by kind of data.'],
};
const LANGUAGE_LABEL = { en: 'English', zh: '简体中文 (Chinese)' };

const clone = (v) => JSON.parse(JSON.stringify(v));

export function mountGuardPolicy(container) {
  const s = { saved: null, draft: null, tab: 'form', lang: 'en', error: null, fields: {}, saving: false, disposed: false };
  const body = h('div', { class: 'admin-body' });
  const dirtyNote = h('span', { class: 'dirty-note', hidden: true }, 'Unsaved changes');
  const saveButton = h('button', { class: 'btn btn-primary', type: 'button', onclick: save }, 'Save policy');
  const discardButton = h('button', { class: 'btn btn-ghost', type: 'button', onclick: discard }, 'Discard');
  const formErrorBox = h('div', { class: 'form-error', role: 'alert', hidden: true });
  replaceChildren(
    container,
    h(
      'div',
      { class: 'admin-page' },
      h(
        'div',
        { class: 'page-head sticky' },
        h('div', {}, h('h1', {}, 'Guard policy'), h('p', { class: 'muted' }, 'What the guard masks, what it does when a customer posts sensitive data in public, and what it tells them. {handle} is the only placeholder.')),
        h('div', { class: 'page-actions' }, dirtyNote, discardButton, saveButton),
      ),
      formErrorBox,
      body,
    ),
  );

  const jsonArea = h('textarea', { class: 'json-editor mono', spellcheck: 'false', 'aria-label': 'Guard policy as JSON', name: 'policy-json', oninput: updateDirty });
  const jsonErrors = h('ul', { class: 'json-errors' });

  async function load() {
    try {
      s.saved = await api.guardPolicy();
      s.draft = clone(s.saved);
      s.error = null;
    } catch (err) {
      s.error = err.message;
    }
    if (!s.disposed) render();
  }

  function currentDraft() {
    if (s.tab !== 'json') return s.draft;
    try {
      return JSON.parse(jsonArea.value);
    } catch (err) {
      throw new Error(`The JSON is not valid: ${err.message}`);
    }
  }

  function updateDirty() {
    let dirty = false;
    try {
      dirty = JSON.stringify(currentDraft()) !== JSON.stringify(s.saved);
    } catch {
      dirty = true;
    }
    dirtyNote.hidden = !dirty;
    discardButton.disabled = !dirty;
  }

  function switchTab(tab) {
    if (tab === s.tab) return;
    if (tab === 'form') {
      try {
        s.draft = currentDraft();
      } catch (err) {
        formError(formErrorBox, err.message);
        return;
      }
    }
    formError(formErrorBox, null);
    s.tab = tab;
    render();
  }

  async function save() {
    formError(formErrorBox, null);
    let policy;
    try {
      policy = currentDraft();
    } catch (err) {
      formError(formErrorBox, err.message);
      return;
    }
    saveButton.disabled = true;
    saveButton.textContent = 'Saving…';
    try {
      s.saved = await api.saveGuardPolicy(policy);
      s.draft = clone(s.saved);
      s.fields = {};
      toast('Guard policy saved', 'ok');
      render();
    } catch (err) {
      s.fields = err.fields ?? {};
      s.draft = policy;
      formError(formErrorBox, Object.keys(s.fields).length ? `${err.message}${Object.keys(s.fields).length > 1 ? ` (and ${Object.keys(s.fields).length - 1} more)` : ''}` : err.message);
      render();
    } finally {
      saveButton.disabled = false;
      saveButton.textContent = 'Save policy';
    }
  }

  function discard() {
    s.draft = clone(s.saved);
    s.fields = {};
    formError(formErrorBox, null);
    render();
  }

  function fieldMsg(path) {
    const msg = s.fields[path];
    return msg ? h('div', { class: 'field-msg' }, msg) : null;
  }

  function render() {
    if (s.error) {
      replaceChildren(body, h('div', { class: 'card pad error-text' }, s.error));
      return;
    }
    if (!s.draft) {
      replaceChildren(body, h('div', { class: 'card pad muted' }, 'Loading the policy…'));
      return;
    }
    const tabs = h(
      'div',
      { class: 'tabs tabs-line', role: 'tablist' },
      [['form', 'Form'], ['json', 'JSON']].map(([t, label]) =>
        h('button', { type: 'button', role: 'tab', class: ['tab', s.tab === t && 'active'], 'aria-selected': String(s.tab === t), onclick: () => switchTab(t) }, label),
      ),
    );
    replaceChildren(body, tabs, s.tab === 'json' ? renderJson() : renderForm());
    updateDirty();
  }

  function renderJson() {
    jsonArea.value = JSON.stringify(s.draft, null, 2);
    const entries = Object.entries(s.fields);
    replaceChildren(jsonErrors, entries.map(([path, msg]) => h('li', {}, h('code', {}, path), ' ', msg)));
    return h(
      'div',
      { class: 'card pad json-card' },
      entries.length ? h('div', { class: 'json-errors-box' }, h('strong', {}, 'The server rejected these fields:'), jsonErrors) : null,
      jsonArea,
    );
  }

  function renderForm() {
    const d = s.draft;
    const types = Object.keys(d.types ?? {});
    const table = h(
      'table',
      { class: 'table policy-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Kind of data'), h('th', { class: 'center' }, 'Mask in DMs'), h('th', { class: 'center' }, 'Mask in public'), h('th', {}, 'When posted in public'))),
      h(
        'tbody',
        {},
        types.map((type) => {
          const rule = d.types[type] ?? {};
          const path = `types.${type}`;
          const actions = PUBLIC_ACTIONS.some(([v]) => v === rule.publicAction) ? PUBLIC_ACTIONS : [...PUBLIC_ACTIONS, [rule.publicAction, String(rule.publicAction)]];
          return h(
            'tr',
            { dataset: { type } },
            h('td', {}, h('div', { class: 'strong' }, cap(findingLabel(type))), h('code', { class: 'muted small' }, type), fieldMsg(path)),
            h('td', { class: 'center' }, checkbox(`${path}.maskPrivate`, rule.maskPrivate, (v) => (rule.maskPrivate = v)), fieldMsg(`${path}.maskPrivate`)),
            h('td', { class: 'center' }, checkbox(`${path}.maskPublic`, rule.maskPublic, (v) => (rule.maskPublic = v)), fieldMsg(`${path}.maskPublic`)),
            h(
              'td',
              {},
              h(
                'select',
                {
                  class: ['select-sm', s.fields[`${path}.publicAction`] && 'invalid'],
                  'data-field': `${path}.publicAction`,
                  'aria-label': `${findingLabel(type)} in public`,
                  onchange: (e) => {
                    rule.publicAction = e.target.value;
                    updateDirty();
                  },
                },
                actions.map(([v, l]) => h('option', { value: v, selected: v === rule.publicAction }, l)),
              ),
              fieldMsg(`${path}.publicAction`),
            ),
          );
        }),
      ),
    );

    const langs = Object.keys(d.templates ?? {});
    if (!langs.includes(s.lang)) s.lang = langs[0];
    const langTabs = h(
      'div',
      { class: 'tabs', role: 'tablist', 'aria-label': 'Language' },
      langs.map((l) =>
        h(
          'button',
          {
            type: 'button',
            role: 'tab',
            class: ['tab', s.lang === l && 'active', Object.keys(s.fields).some((p) => p.startsWith(`templates.${l}.`)) && 'has-error'],
            onclick: () => {
              s.lang = l;
              render();
            },
          },
          LANGUAGE_LABEL[l] ?? l,
        ),
      ),
    );
    const t = d.templates?.[s.lang] ?? {};
    const sections = Object.entries(t).map(([key, value]) => {
      const [title, hint] = TEMPLATE_LABEL[key] ?? [key, ''];
      const base = `templates.${s.lang}.${key}`;
      if (typeof value === 'string') {
        return h('div', { class: 'tpl-section' }, h('h3', {}, title), hint ? h('p', { class: 'muted small' }, hint) : null, templateArea(base, value, (v) => (t[key] = v)));
      }
      return h(
        'div',
        { class: 'tpl-section' },
        h('h3', {}, title),
        hint ? h('p', { class: 'muted small' }, hint) : null,
        h(
          'div',
          { class: 'tpl-grid' },
          Object.entries(value ?? {}).map(([sub, text]) =>
            h('label', { class: 'field' }, h('span', { class: 'field-label' }, GROUP_LABEL[sub] ?? cap(findingLabel(sub))), templateArea(`${base}.${sub}`, text, (v) => (value[sub] = v))),
          ),
        ),
      );
    });
    const unmatched = Object.entries(s.fields).filter(([p]) => !p.startsWith('types.') && !p.startsWith(`templates.${s.lang}.`));
    return h(
      'div',
      { class: 'policy-form' },
      h('div', { class: 'card table-card' }, h('div', { class: 'card-head' }, h('h2', {}, 'Masking and public actions')), table),
      h(
        'div',
        { class: 'card pad' },
        h('div', { class: 'card-head' }, h('h2', {}, 'Messages to customers'), langTabs),
        unmatched.length ? h('ul', { class: 'json-errors' }, unmatched.map(([p, m]) => h('li', {}, h('code', {}, p), ' ', m))) : null,
        sections,
      ),
    );
  }

  function checkbox(path, value, set) {
    return h('input', {
      type: 'checkbox',
      checked: Boolean(value),
      'data-field': path,
      'aria-label': path,
      class: s.fields[path] ? 'invalid' : null,
      onchange: (e) => {
        set(e.target.checked);
        updateDirty();
      },
    });
  }

  function templateArea(path, value, set) {
    const area = h('textarea', {
      class: ['tpl', s.fields[path] && 'invalid'],
      'data-field': path,
      rows: String(Math.min(8, Math.max(2, Math.ceil(String(value ?? '').length / 90) + String(value ?? '').split('\n').length - 1))),
      dir: 'auto',
      oninput: (e) => {
        set(e.target.value);
        updateDirty();
      },
    });
    area.value = typeof value === 'string' ? value : JSON.stringify(value);
    return [area, fieldMsg(path)];
  }

  const cap = (text) => text.charAt(0).toUpperCase() + text.slice(1);

  render();
  load();
  return { unmount: () => (s.disposed = true) };
}
