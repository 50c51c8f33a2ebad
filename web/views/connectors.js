// Admin: the platform accounts the inbox listens on. Credentials are write-only: the form never shows them, and
// an edit sends new ones only when the admin typed them.
import { api } from '../api.js';
import { fullTime, h, platformBadge, relativeSentence, replaceChildren, toast, PLATFORM_LABEL } from '../dom.js';
import { field, fieldErrors, formError, select, toggle } from './forms.js';

/** Per platform: the credential fields (all secret) and the settings fields. */
const PLATFORM_FORMS = {
  telegram: {
    credentials: [{ key: 'botToken', label: 'Bot token', placeholder: '123456789:AA…', hint: 'From @BotFather.' }],
    settings: [
      { key: 'mode', label: 'Receive by', type: 'select', options: [['polling', 'Long polling'], ['webhook', 'Webhook']], default: 'polling' },
      { key: 'webhookSecret', label: 'Webhook secret', secret: true, hint: 'Optional; Telegram sends it back in a header. A-Z, a-z, 0-9, _ and -.' },
      { key: 'apiRoot', label: 'API root', placeholder: 'https://api.telegram.org', hint: 'Leave empty for the real Telegram; set it to use a proxy or a local fake.', advanced: true },
    ],
  },
  discord: {
    credentials: [{ key: 'botToken', label: 'Bot token', placeholder: 'MTA…', hint: 'From the Discord Developer Portal → Bot.' }],
    settings: [
      { key: 'supportChannelIds', label: 'Support channel ids', type: 'list', placeholder: '112233445566778899, …', hint: 'Channels the bot treats as support channels, comma separated.' },
      { key: 'apiBase', label: 'API base', placeholder: 'https://discord.com/api', hint: 'Leave empty for the real Discord.', advanced: true },
    ],
  },
  x: {
    credentials: [
      { key: 'appKey', label: 'API key' },
      { key: 'appSecret', label: 'API key secret' },
      { key: 'accessToken', label: 'Access token' },
      { key: 'accessSecret', label: 'Access token secret' },
    ],
    settings: [
      { key: 'pollIntervalMs', label: 'Poll interval (ms)', type: 'number', placeholder: '60000' },
      { key: 'webhook', label: 'Receive by webhook (Account Activity API)', type: 'checkbox' },
      { key: 'apiBase', label: 'API base', placeholder: 'https://api.x.com', hint: 'Leave empty for the real X.', advanced: true },
    ],
  },
};

const SETTING_LABEL = {
  mode: 'Receive by',
  apiRoot: 'API root',
  apiBase: 'API base',
  webhookSecret: 'Webhook secret',
  pollTimeoutSec: 'Poll timeout (s)',
  pollIntervalMs: 'Poll interval (ms)',
  supportChannelIds: 'Support channels',
  webhook: 'Webhook',
};
const MODE_LABEL = { polling: 'Long polling', webhook: 'Webhook' };

const HEALTH = {
  connected: ['Connected', 'ok'],
  starting: ['Starting', 'pending'],
  auth_failed: ['Credentials rejected', 'bad'],
  error: ['Error', 'bad'],
  stopped: ['Stopped', 'muted'],
  disabled: ['Disabled', 'muted'],
};

export function mountConnectors(container, ctx) {
  const s = { items: [], loading: true, error: null, editing: null /* 'new' | id */, disposed: false };
  const body = h('div', { class: 'admin-body' });
  const addButton = h('button', { class: 'btn btn-primary', type: 'button', onclick: () => edit('new') }, '+ New connector');
  replaceChildren(
    container,
    h(
      'div',
      { class: 'admin-page' },
      h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, 'Connectors'), h('p', { class: 'muted' }, 'The Telegram bots, Discord bots and X accounts the inbox listens on. Credentials are stored encrypted and never shown again.')), addButton),
      body,
    ),
  );

  async function load() {
    try {
      const res = await api.connectors();
      s.items = res.items;
      s.error = null;
    } catch (err) {
      s.error = err.message;
    }
    s.loading = false;
    if (!s.disposed) render();
  }

  function edit(which) {
    s.editing = which;
    render();
    body.querySelector('.connector-form input:not([type=hidden]), .connector-form select')?.focus();
  }

  function render() {
    const parts = [];
    if (s.editing === 'new') parts.push(connectorForm(null));
    if (s.loading) parts.push(h('div', { class: 'card muted pad' }, 'Loading connectors…'));
    else if (s.error) parts.push(h('div', { class: 'card pad error-text' }, s.error));
    else if (!s.items.length && s.editing !== 'new')
      parts.push(h('div', { class: 'card pad empty-card' }, h('strong', {}, 'No connectors yet'), h('p', { class: 'muted' }, 'Add a Telegram or Discord bot to start receiving messages.'), h('button', { class: 'btn btn-primary', type: 'button', onclick: () => edit('new') }, 'Add a connector')));
    else parts.push(h('div', { class: 'connector-list' }, s.items.map((c) => (s.editing === c.id ? connectorForm(c) : connectorCard(c)))));
    replaceChildren(body, parts);
  }

  function connectorCard(c) {
    const [label, tone] = HEALTH[c.health?.status] ?? [c.health?.status ?? 'Unknown', 'muted'];
    const settingRows = Object.entries(c.settings ?? {})
      .filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && !v.length))
      .map(([k, v]) => {
        const secretFlag = k.endsWith('Set') && v === true;
        const key = secretFlag ? k.slice(0, -3) : k;
        const shown = secretFlag ? 'set (hidden)' : Array.isArray(v) ? v.join(', ') : typeof v === 'boolean' ? (v ? 'yes' : 'no') : key === 'mode' ? MODE_LABEL[v] ?? String(v) : String(v);
        return h('div', { class: 'kv' }, h('span', { class: 'kv-k', title: key }, SETTING_LABEL[key] ?? key), h('span', { class: ['kv-v', !secretFlag && typeof v !== 'boolean' && key !== 'mode' && 'mono'] }, shown));
      });
    const usesWebhook = c.platform === 'x' ? c.settings?.webhook === true : c.platform === 'telegram' ? c.settings?.mode === 'webhook' : false;
    return h(
      'div',
      { class: ['card', 'connector-card', !c.enabled && 'is-disabled'], dataset: { id: c.id } },
      h(
        'div',
        { class: 'connector-top' },
        platformBadge(c.platform, { withName: true }),
        h('h3', { class: 'connector-name' }, c.name),
        h('span', { class: ['health', `tone-${tone}`], title: c.health?.at ? `Since ${fullTime(c.health.at)}` : null }, h('span', { class: 'health-dot', 'aria-hidden': 'true' }), label),
        h('span', { class: 'spacer' }),
        toggle('enabled', c.enabled, c.enabled ? 'Enabled' : 'Disabled', {
          onchange: async (e) => {
            e.target.disabled = true;
            try {
              await api.updateConnector(c.id, { enabled: e.target.checked });
              toast(`${c.name} ${e.target.checked ? 'enabled' : 'disabled'}`, 'ok');
            } catch (err) {
              toast(err.message, 'error');
            }
            load();
          },
        }),
        h('button', { class: 'btn btn-sm', type: 'button', onclick: () => edit(c.id) }, 'Edit'),
        h(
          'button',
          {
            class: 'btn btn-sm btn-danger-ghost',
            type: 'button',
            onclick: async () => {
              if (!confirm(`Delete the connector “${c.name}”? Its conversations stay readable, but no new messages arrive and replies cannot be sent.`)) return;
              try {
                await api.deleteConnector(c.id);
                toast(`Deleted ${c.name}`, 'ok');
              } catch (err) {
                toast(err.message, 'error');
              }
              load();
            },
          },
          'Delete',
        ),
      ),
      c.health?.lastError && c.health.status !== 'connected' ? h('div', { class: 'connector-error' }, h('strong', {}, 'Last error: '), c.health.lastError) : null,
      h(
        'div',
        { class: 'connector-details' },
        h('div', { class: 'kv' }, h('span', { class: 'kv-k' }, 'Health checked'), h('span', { class: 'kv-v', title: fullTime(c.health?.at) }, c.health?.at ? relativeSentence(c.health.at) : 'never')),
        h(
          'div',
          { class: 'kv kv-wide' },
          h('span', { class: 'kv-k' }, 'Webhook URL'),
          h(
            'span',
            { class: 'kv-v' },
            h('code', { class: 'mono' }, c.webhookUrl ?? ''),
            c.webhookUrl ? h('button', { class: 'btn btn-xs', type: 'button', onclick: () => copy(c.webhookUrl) }, 'Copy') : null,
            usesWebhook ? null : h('span', { class: 'muted' }, 'used only when receiving by webhook'),
          ),
        ),
        c.botUserId ? h('div', { class: 'kv' }, h('span', { class: 'kv-k' }, 'Bot user id'), h('span', { class: 'kv-v mono' }, c.botUserId)) : null,
        h('div', { class: 'kv' }, h('span', { class: 'kv-k' }, 'Credentials'), h('span', { class: 'kv-v' }, c.credentialsSet === false ? 'not set' : 'set (hidden)')),
        settingRows,
      ),
    );
  }

  function connectorForm(existing) {
    const isNew = !existing;
    let platform = existing?.platform ?? 'telegram';
    const error = h('div', { class: 'form-error', role: 'alert', hidden: true });
    const dynamic = h('div', { class: 'form-grid' });
    const name = h('input', { name: 'name', value: existing?.name ?? '', placeholder: 'e.g. Telegram support bot', required: true });
    const enabled = h('input', { type: 'checkbox', name: 'enabled', checked: existing ? existing.enabled : true });
    const platformSelect = isNew
      ? select('platform', Object.entries(PLATFORM_LABEL), platform, {
          onchange: (e) => {
            platform = e.target.value;
            renderDynamic();
          },
        })
      : null;

    function renderDynamic() {
      const def = PLATFORM_FORMS[platform];
      const settings = existing?.settings ?? {};
      const controls = [];
      controls.push(h('div', { class: 'form-section-title field-wide' }, 'Credentials', h('span', { class: 'muted' }, isNew ? ' · write-only, never shown again' : ' · leave empty to keep the stored ones')));
      for (const f of def.credentials) {
        controls.push(field(f.label, h('input', { name: `credentials.${f.key}`, type: 'password', autocomplete: 'off', spellcheck: 'false', placeholder: isNew ? f.placeholder ?? '' : '•••••••• (unchanged)' }), f.hint));
      }
      controls.push(h('div', { class: 'form-section-title field-wide' }, 'Settings'));
      for (const f of def.settings) {
        const name = `settings.${f.key}`;
        const value = settings[f.key];
        let control;
        if (f.type === 'select') control = select(name, f.options, value ?? f.default);
        else if (f.type === 'checkbox') {
          controls.push(h('label', { class: 'field field-check' }, h('input', { type: 'checkbox', name, checked: Boolean(value) }), h('span', {}, f.label)));
          continue;
        } else if (f.type === 'list') control = h('input', { name, value: Array.isArray(value) ? value.join(', ') : '', placeholder: f.placeholder ?? '' });
        else if (f.type === 'number') control = h('input', { name, type: 'number', min: '0', value: value ?? '', placeholder: f.placeholder ?? '' });
        else if (f.secret) control = h('input', { name, type: 'password', autocomplete: 'off', placeholder: settings[`${f.key}Set`] ? '•••••••• (set; leave empty to keep)' : 'not set' });
        else control = h('input', { name, value: value ?? '', placeholder: f.placeholder ?? '' });
        controls.push(field(f.advanced ? `${f.label} (advanced)` : f.label, control, f.hint));
      }
      replaceChildren(dynamic, controls);
    }
    renderDynamic();

    const save = h('button', { class: 'btn btn-primary', type: 'submit' }, isNew ? 'Create connector' : 'Save changes');
    const form = h(
      'form',
      {
        class: 'card connector-form',
        novalidate: true,
        onsubmit: async (e) => {
          e.preventDefault();
          formError(error, null);
          fieldErrors(form, {});
          const def = PLATFORM_FORMS[platform];
          const data = new FormData(form);
          const credentials = {};
          for (const f of def.credentials) {
            const v = String(data.get(`credentials.${f.key}`) ?? '').trim();
            if (v) credentials[f.key] = v;
          }
          // Start from what is stored so settings this form does not show survive an edit.
          const settings = {};
          for (const [k, v] of Object.entries(existing?.settings ?? {})) if (!(k.endsWith('Set') && v === true)) settings[k] = v;
          for (const f of def.settings) {
            const name = `settings.${f.key}`;
            if (f.type === 'checkbox') settings[f.key] = form.querySelector(`[name="${name}"]`).checked;
            else if (f.type === 'list') {
              const list = String(data.get(name) ?? '').split(/[\s,]+/).filter(Boolean);
              settings[f.key] = list;
            } else if (f.type === 'number') {
              const v = String(data.get(name) ?? '').trim();
              if (v) settings[f.key] = Number(v);
              else delete settings[f.key];
            } else {
              const v = String(data.get(name) ?? '').trim();
              if (v) settings[f.key] = v;
              else if (!f.secret) delete settings[f.key];
            }
          }
          const partial = Object.keys(credentials).length > 0 && Object.keys(credentials).length < def.credentials.length;
          if (isNew || partial) {
            const missing = def.credentials.filter((f) => !credentials[f.key]);
            if (missing.length) {
              fieldErrors(form, Object.fromEntries(missing.map((f) => [`credentials.${f.key}`, isNew ? 'required' : 'required when changing credentials'])));
              formError(error, 'Fill in the credentials.');
              return;
            }
          }
          save.disabled = true;
          try {
            if (isNew) {
              await api.createConnector({ platform, name: name.value.trim(), enabled: enabled.checked, credentials, settings });
              toast('Connector created', 'ok');
            } else {
              await api.updateConnector(existing.id, {
                name: name.value.trim(),
                enabled: enabled.checked,
                settings,
                ...(Object.keys(credentials).length ? { credentials } : {}),
              });
              toast('Connector saved', 'ok');
            }
            s.editing = null;
            await load();
          } catch (err) {
            const unmatched = fieldErrors(form, err.fields);
            formError(error, unmatched.length || !Object.keys(err.fields ?? {}).length ? err.message : 'Check the highlighted fields.');
            save.disabled = false;
          }
        },
      },
      h('div', { class: 'form-head' }, h('h3', {}, isNew ? 'New connector' : `Edit ${existing.name}`), existing ? platformBadge(existing.platform, { withName: true }) : null),
      error,
      h(
        'div',
        { class: 'form-grid' },
        isNew ? field('Platform', platformSelect) : null,
        field('Name', name, 'Shown to agents next to each conversation.'),
        h('label', { class: 'field field-check' }, enabled, h('span', {}, 'Enabled: connect and receive messages')),
      ),
      dynamic,
      h(
        'div',
        { class: 'form-actions' },
        save,
        h(
          'button',
          {
            class: 'btn btn-ghost',
            type: 'button',
            onclick: () => {
              s.editing = null;
              render();
            },
          },
          'Cancel',
        ),
      ),
    );
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        s.editing = null;
        render();
      }
    });
    return form;
  }

  async function copy(text) {
    try {
      await navigator.clipboard.writeText(text);
      toast('Copied', 'ok');
    } catch {
      toast('Could not copy; select the text instead.', 'error');
    }
  }

  render();
  load();
  const timer = setInterval(() => !s.editing && load(), 15_000);
  return {
    unmount: () => {
      s.disposed = true;
      clearInterval(timer);
    },
  };
}
