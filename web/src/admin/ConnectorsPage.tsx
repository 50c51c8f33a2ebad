// Admin: the platform accounts the inbox listens on, with their health. Credentials are write-only: the form
// never shows them, and an edit sends new ones only when the admin typed them.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import { api } from '../api/endpoints.ts';
import type { Connector, Platform } from '../api/types.ts';
import { toast } from '../components/toasts.tsx';
import { Field, FormError, PlatformBadge, Switch, fieldError } from '../components/ui.tsx';
import { fullTime, relativeSentence } from '../lib/format.ts';

interface FieldDef {
  key: string;
  type?: 'select' | 'checkbox' | 'list' | 'number';
  options?: string[];
  default?: string;
  secret?: boolean;
  advanced?: boolean;
  optional?: boolean;
  placeholder?: string;
}

/** Per platform: the credential fields (all secret) and the settings fields (api.md "Connector bodies"). */
const PLATFORM_FORMS: Record<Platform, { credentials: FieldDef[]; settings: FieldDef[] }> = {
  telegram: {
    credentials: [{ key: 'botToken', placeholder: '123456789:AA…' }],
    settings: [
      { key: 'mode', type: 'select', options: ['polling', 'webhook'], default: 'polling' },
      { key: 'webhookSecret', secret: true },
      { key: 'apiRoot', placeholder: 'https://api.telegram.org', advanced: true },
    ],
  },
  discord: {
    credentials: [{ key: 'botToken', placeholder: 'MTA…' }],
    settings: [
      { key: 'supportChannelIds', type: 'list', placeholder: '112233445566778899, …' },
      { key: 'apiBase', placeholder: 'https://discord.com/api', advanced: true },
    ],
  },
  x: {
    credentials: [{ key: 'appKey' }, { key: 'appSecret' }, { key: 'accessToken' }, { key: 'accessSecret' }, { key: 'bearerToken', optional: true }],
    settings: [
      { key: 'mode', type: 'select', options: ['polling', 'stream', 'webhook'], default: 'polling' },
      { key: 'pollIntervalMs', type: 'number', placeholder: '60000' },
      { key: 'apiBase', placeholder: 'https://api.x.com', advanced: true },
    ],
  },
};

const HEALTH_TONE: Record<string, string> = { connected: 'ok', starting: 'pending', auth_failed: 'bad', error: 'bad', stopped: 'muted', disabled: 'muted' };

export function ConnectorsPage() {
  const { t } = useTranslation();
  const [items, setItems] = useState<Connector[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null); // 'new' | id
  const editingRef = useRef(editing);
  editingRef.current = editing;

  const load = useCallback(async () => {
    try {
      setItems((await api.connectors()).items);
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
    setLoading(false);
  }, []);
  useEffect(() => {
    void load();
    const timer = setInterval(() => !editingRef.current && void load(), 15_000);
    return () => clearInterval(timer);
  }, [load]);

  async function toggle(c: Connector, enabled: boolean) {
    try {
      await api.updateConnector(c.id, { enabled });
      toast(enabled ? t('connectors.enabledToast', { name: c.name }) : t('connectors.disabledToast', { name: c.name }), 'ok');
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
    void load();
  }

  async function remove(c: Connector) {
    if (!confirm(t('connectors.confirmDelete', { name: c.name }))) return;
    try {
      await api.deleteConnector(c.id);
      toast(t('connectors.deleted', { name: c.name }), 'ok');
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
    void load();
  }

  const done = () => {
    setEditing(null);
    void load();
  };

  return (
    <div className="admin-page">
      <div className="page-head">
        <div>
          <h1>{t('connectors.title')}</h1>
          <p className="muted">{t('connectors.intro')}</p>
        </div>
        <button className="btn btn-primary" type="button" onClick={() => setEditing('new')}>
          {t('connectors.new')}
        </button>
      </div>
      <div className="admin-body">
        {editing === 'new' ? <ConnectorForm existing={null} onDone={done} onCancel={() => setEditing(null)} /> : null}
        {loading ? (
          <div className="card muted pad">{t('connectors.loading')}</div>
        ) : error ? (
          <div className="card pad error-text">{error}</div>
        ) : !items.length && editing !== 'new' ? (
          <div className="card pad empty-card">
            <strong>{t('connectors.none')}</strong>
            <p className="muted">{t('connectors.noneHint')}</p>
            <button className="btn btn-primary" type="button" onClick={() => setEditing('new')}>
              {t('connectors.add')}
            </button>
          </div>
        ) : (
          <div className="connector-list">
            {items.map((c) =>
              editing === c.id ? (
                <ConnectorForm key={c.id} existing={c} onDone={done} onCancel={() => setEditing(null)} />
              ) : (
                <ConnectorCard key={c.id} c={c} onToggle={(v) => toggle(c, v)} onEdit={() => setEditing(c.id)} onDelete={() => remove(c)} />
              ),
            )}
          </div>
        )}
      </div>
    </div>
  );
}

function ConnectorCard({ c, onToggle, onEdit, onDelete }: { c: Connector; onToggle: (v: boolean) => void; onEdit: () => void; onDelete: () => void }) {
  const { t } = useTranslation();
  const status = c.health?.status ?? 'unknown';
  const tone = HEALTH_TONE[status] ?? 'muted';
  const settings = c.settings ?? {};
  const usesWebhook = c.platform === 'x' ? settings.mode === 'webhook' || settings.webhook === true : c.platform === 'telegram' ? settings.mode === 'webhook' : false;
  const rows = Object.entries(settings).filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && !v.length));
  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      toast(t('common.copied'), 'ok');
    } catch {
      toast(t('common.copyFailed'), 'error');
    }
  };
  return (
    <div className={`card connector-card${c.enabled ? '' : ' is-disabled'}`} data-id={c.id}>
      <div className="connector-top">
        <PlatformBadge platform={c.platform} withName />
        <h3 className="connector-name">{c.name}</h3>
        <span className={`health tone-${tone}`} title={c.health?.at ? t('connectors.since', { time: fullTime(c.health.at) }) : undefined}>
          <span className="health-dot" aria-hidden="true" />
          {t(`health.${status}`, { defaultValue: status })}
        </span>
        <span className="spacer" />
        <Switch checked={c.enabled} onChange={onToggle} label={c.enabled ? t('connectors.enabled') : t('connectors.disabled')} ariaLabel={t('connectors.enabledLabel', { name: c.name })} />
        <button className="btn btn-sm" type="button" onClick={onEdit}>
          {t('common.edit')}
        </button>
        <button className="btn btn-sm btn-danger-ghost" type="button" onClick={onDelete}>
          {t('common.delete')}
        </button>
      </div>
      {c.health?.lastError && status !== 'connected' ? (
        <div className="connector-error">
          <strong>{t('connectors.lastError')} </strong>
          {c.health.lastError}
        </div>
      ) : null}
      <div className="connector-details">
        <div className="kv">
          <span className="kv-k">{t('connectors.healthChecked')}</span>
          <span className="kv-v" title={fullTime(c.health?.at)}>
            {c.health?.at ? relativeSentence(c.health.at) : t('connectors.never')}
          </span>
        </div>
        {c.platform === 'discord' ? null : (
          <div className="kv kv-wide">
            <span className="kv-k">{t('connectors.webhookUrl')}</span>
            <span className="kv-v">
              <code className="mono">{c.webhookUrl ?? ''}</code>
              {c.webhookUrl ? (
                <button className="btn btn-xs" type="button" onClick={() => copy(c.webhookUrl!)}>
                  {t('common.copy')}
                </button>
              ) : null}
              {usesWebhook ? null : <span className="muted">{t('connectors.webhookOnly')}</span>}
            </span>
          </div>
        )}
        {c.botUserId ? (
          <div className="kv">
            <span className="kv-k">{t('connectors.botUserId')}</span>
            <span className="kv-v mono">{c.botUserId}</span>
          </div>
        ) : null}
        <div className="kv">
          <span className="kv-k">{t('connectors.credentials')}</span>
          <span className="kv-v">{c.credentialsSet === false ? t('connectors.notSet') : t('connectors.setHidden')}</span>
        </div>
        {rows.map(([k, v]) => {
          const secretFlag = k.endsWith('Set') && v === true;
          const key = secretFlag ? k.slice(0, -3) : k;
          const shown = secretFlag ? t('connectors.setHidden') : Array.isArray(v) ? v.join(', ') : typeof v === 'boolean' ? (v ? t('common.yes') : t('common.no')) : key === 'mode' ? t(`connectors.mode_${v}`, { defaultValue: String(v) }) : String(v);
          return (
            <div className="kv" key={k}>
              <span className="kv-k" title={key}>
                {t(`connectors.setting_${key}`, { defaultValue: key })}
              </span>
              <span className={`kv-v${!secretFlag && typeof v !== 'boolean' && key !== 'mode' ? ' mono' : ''}`}>{shown}</span>
            </div>
          );
        })}
      </div>
    </div>
  );
}

function ConnectorForm({ existing, onDone, onCancel }: { existing: Connector | null; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const isNew = !existing;
  const [platform, setPlatform] = useState<Platform>(existing?.platform ?? 'telegram');
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, unknown>>({});
  const [saving, setSaving] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const def = PLATFORM_FORMS[platform];
  const settings = existing?.settings ?? {};

  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('input:not([type=hidden]), select')?.focus();
  }, []);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    setFields({});
    const form = e.currentTarget;
    const data = new FormData(form);
    const credentials: Record<string, string> = {};
    for (const f of def.credentials) {
      const v = String(data.get(`credentials.${f.key}`) ?? '').trim();
      if (v) credentials[f.key] = v;
    }
    // PATCH merges settings key by key (null removes one): send what the form shows.
    const out: Record<string, unknown> = {};
    for (const f of def.settings) {
      const name = `settings.${f.key}`;
      const raw = String(data.get(name) ?? '').trim();
      if (f.type === 'checkbox') out[f.key] = data.get(name) === 'on';
      else if (f.type === 'list') out[f.key] = raw.split(/[\s,]+/).filter(Boolean);
      else if (f.type === 'number') out[f.key] = raw ? Number(raw) : isNew ? undefined : null;
      else if (raw) out[f.key] = raw;
      else if (!f.secret) out[f.key] = isNew ? undefined : null;
    }
    const required = def.credentials.filter((f) => !f.optional);
    const given = Object.keys(credentials).length;
    if (isNew || (given > 0 && required.some((f) => !credentials[f.key]))) {
      const missing = required.filter((f) => !credentials[f.key]);
      if (missing.length && (isNew || given > 0)) {
        setFields(Object.fromEntries(missing.map((f) => [`credentials.${f.key}`, isNew ? t('connectors.required') : t('connectors.requiredWhenChanging')])));
        setError(t('connectors.fillCredentials'));
        return;
      }
    }
    const name = String(data.get('name') ?? '').trim();
    const enabled = data.get('enabled') === 'on';
    setSaving(true);
    try {
      if (isNew) {
        await api.createConnector({ platform, name, enabled, credentials, settings: JSON.parse(JSON.stringify(out)) });
        toast(t('connectors.created'), 'ok');
      } else {
        await api.updateConnector(existing.id, { name, enabled, settings: out, ...(given ? { credentials } : {}) });
        toast(t('connectors.saved'), 'ok');
      }
      onDone();
    } catch (err) {
      const f = err instanceof ApiError ? err.fields : {};
      setFields(f);
      const matched = Object.keys(f).some((k) => k === 'name' || k.startsWith('credentials.') || k.startsWith('settings.'));
      setError(matched && Object.keys(f).length ? t('common.checkFields') : errorMessage(err));
      setSaving(false);
    }
  }

  const fe = (path: string) => fieldError(fields, path);
  return (
    <form ref={formRef} className="card connector-form" noValidate onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <div className="form-head">
        <h3>{isNew ? t('connectors.newTitle') : t('connectors.editTitle', { name: existing.name })}</h3>
        {existing ? <PlatformBadge platform={existing.platform} withName /> : null}
      </div>
      <FormError message={error} />
      <div className="form-grid">
        {isNew ? (
          <Field label={t('connectors.platform')}>
            <select name="platform" value={platform} onChange={(e) => setPlatform(e.target.value as Platform)}>
              {(['telegram', 'discord', 'x'] as const).map((p) => (
                <option key={p} value={p}>
                  {t(`platform.${p}`)}
                </option>
              ))}
            </select>
          </Field>
        ) : null}
        <Field label={t('connectors.name')} hint={t('connectors.nameHint')} error={fe('name')}>
          <input name="name" defaultValue={existing?.name ?? ''} placeholder={t('connectors.namePlaceholder')} required className={fe('name') ? 'invalid' : undefined} />
        </Field>
        <label className="field field-check">
          <input type="checkbox" name="enabled" defaultChecked={existing ? existing.enabled : true} />
          <span>{t('connectors.enabledField')}</span>
        </label>
      </div>
      <div className="form-grid" key={platform}>
        <div className="form-section-title field-wide">
          {t('connectors.credentials')}
          <span className="muted"> · {isNew ? t('connectors.writeOnly') : t('connectors.keepEmpty')}</span>
        </div>
        {def.credentials.map((f) => {
          const path = `credentials.${f.key}`;
          return (
            <Field key={path} label={t(`connectors.cred_${platform}_${f.key}`) + (f.optional ? ` ${t('common.optional')}` : '')} hint={t(`connectors.credHint_${platform}_${f.key}`, { defaultValue: '' }) || undefined} error={fe(path)}>
              <input name={path} type="password" autoComplete="off" spellCheck={false} placeholder={isNew ? (f.placeholder ?? '') : t('connectors.unchanged')} className={fe(path) ? 'invalid' : undefined} aria-invalid={fe(path) ? true : undefined} />
            </Field>
          );
        })}
        <div className="form-section-title field-wide">{t('connectors.settings')}</div>
        {def.settings.map((f) => {
          const path = `settings.${f.key}`;
          const value = settings[f.key];
          const label = t(`connectors.setting_${f.key}`) + (f.advanced ? ` ${t('connectors.advanced')}` : '');
          const hint = t(`connectors.settingHint_${platform}_${f.key}`, { defaultValue: '' }) || undefined;
          const cls = fe(path) ? 'invalid' : undefined;
          if (f.type === 'checkbox')
            return (
              <label key={path} className="field field-check">
                <input type="checkbox" name={path} defaultChecked={Boolean(value)} />
                <span>{label}</span>
              </label>
            );
          return (
            <Field key={path} label={label} hint={hint} error={fe(path)}>
              {f.type === 'select' ? (
                <select name={path} defaultValue={String(value ?? f.default ?? '')} className={cls}>
                  {f.options!.map((o) => (
                    <option key={o} value={o}>
                      {t(`connectors.mode_${o}`)}
                    </option>
                  ))}
                </select>
              ) : f.type === 'list' ? (
                <input name={path} defaultValue={Array.isArray(value) ? value.join(', ') : ''} placeholder={f.placeholder} className={cls} />
              ) : f.type === 'number' ? (
                <input name={path} type="number" min={0} defaultValue={value === undefined || value === null ? '' : String(value)} placeholder={f.placeholder} className={cls} />
              ) : f.secret ? (
                <input name={path} type="password" autoComplete="off" placeholder={settings[`${f.key}Set`] ? t('connectors.secretSet') : t('connectors.notSet')} className={cls} />
              ) : (
                <input name={path} defaultValue={value === undefined || value === null ? '' : String(value)} placeholder={f.placeholder} className={cls} />
              )}
            </Field>
          );
        })}
      </div>
      <div className="form-actions">
        <button className="btn btn-primary" type="submit" disabled={saving}>
          {isNew ? t('connectors.create') : t('common.saveChanges')}
        </button>
        <button className="btn btn-ghost" type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
