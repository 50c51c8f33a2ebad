// Admin: the guard policy. A structured form (per kind of data: masking and what happens in public; the
// customer-facing texts per language) and the same policy as raw JSON. The server validates; its 400
// `error.fields` are shown next to the matching input (form) or listed above the editor (JSON).
import { useEffect, useMemo, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { errorMessage, fieldMessage, templatesHeld, typesText, type FieldLabels } from '../api/errors.ts';
import { api } from '../api/endpoints.ts';
import type { GuardPolicy } from '../api/types.ts';
import { toast } from '../components/toasts.tsx';
import { FormError } from '../components/ui.tsx';
import { findingLabel } from '../inbox/MessageView.tsx';

const PUBLIC_ACTIONS = ['remove_warn_dm', 'warn', 'none'];
const clone = <T,>(v: T): T => JSON.parse(JSON.stringify(v));
const cap = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * A refused save's field messages: a template holding secrets says which, in the interface language (the server's
 * `fields` say it in English); `fields.types` sums them up for the banner and names no field, so it is left out.
 */
function fieldsShown(err: ApiError, t: TFunction): Record<string, unknown> {
  const held = templatesHeld(err);
  if (!Object.keys(held).length) return err.fields;
  const { types: _sum, ...fields } = err.fields;
  for (const [path, types] of Object.entries(held)) fields[path] = t('guard.templateHolds', { types: typesText(types) });
  return fields;
}

/** Each template's name as the form shows it ("English · Private advice · Recovery phrase or private key"). */
function templateLabels(policy: GuardPolicy, t: TFunction): FieldLabels {
  const labels: FieldLabels = {};
  for (const [lang, templates] of Object.entries(policy.templates ?? {})) {
    for (const [key, value] of Object.entries(templates ?? {})) {
      const base = [t(`language.${lang}`, { defaultValue: lang }), t(`guard.tpl_${key}`, { defaultValue: key })];
      if (typeof value === 'string') labels[`templates.${lang}.${key}`] = base.join(' · ');
      else for (const sub of Object.keys(value ?? {})) labels[`templates.${lang}.${key}.${sub}`] = [...base, t(`guard.group_${sub}`, { defaultValue: cap(findingLabel(sub, t)) })].join(' · ');
    }
  }
  return labels;
}

export function GuardPolicyPage() {
  const { t } = useTranslation();
  const [saved, setSaved] = useState<GuardPolicy | null>(null);
  const [draft, setDraft] = useState<GuardPolicy | null>(null);
  const [tab, setTab] = useState<'form' | 'json'>('form');
  const [json, setJson] = useState('');
  const [lang, setLang] = useState('en');
  const [loadError, setLoadError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, unknown>>({});
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    api.guardPolicy().then(
      (p) => (setSaved(p), setDraft(clone(p))),
      (err) => setLoadError(errorMessage(err)),
    );
  }, []);

  function current(): GuardPolicy {
    if (tab !== 'json') return draft!;
    try {
      return JSON.parse(json);
    } catch (err) {
      throw new Error(t('guard.badJson', { message: (err as Error).message }));
    }
  }
  const dirty = useMemo(() => {
    if (!draft || !saved) return false;
    try {
      return JSON.stringify(current()) !== JSON.stringify(saved);
    } catch {
      return true;
    }
  }, [draft, saved, json, tab]); // eslint-disable-line react-hooks/exhaustive-deps

  function switchTab(next: 'form' | 'json') {
    if (next === tab) return;
    if (next === 'form') {
      try {
        setDraft(current());
      } catch (err) {
        setError(errorMessage(err));
        return;
      }
    } else setJson(JSON.stringify(draft, null, 2));
    setError(null);
    setTab(next);
  }

  async function save() {
    setError(null);
    let policy: GuardPolicy;
    try {
      policy = current();
    } catch (err) {
      setError(errorMessage(err));
      return;
    }
    setSaving(true);
    try {
      const result = await api.saveGuardPolicy(policy);
      setSaved(result);
      setDraft(clone(result));
      setJson(JSON.stringify(result, null, 2));
      setFields({});
      toast(t('guard.saved'), 'ok');
    } catch (err) {
      setFields(err instanceof ApiError ? fieldsShown(err, t) : {});
      setDraft(policy);
      setError(errorMessage(err, templateLabels(policy, t)));
    } finally {
      setSaving(false);
    }
  }

  function discard() {
    setDraft(clone(saved));
    setJson(JSON.stringify(saved, null, 2));
    setFields({});
    setError(null);
  }

  const update = (fn: (d: GuardPolicy) => void) =>
    setDraft((d) => {
      const next = clone(d!);
      fn(next);
      return next;
    });
  const msg = (path: string) => (typeof fields[path] === 'string' ? <div className="field-msg">{fieldMessage(fields[path] as string)}</div> : null);

  return (
    <div className="admin-page">
      <div className="page-head sticky">
        <div>
          <h1>{t('guard.title')}</h1>
          <p className="muted">{t('guard.intro')}</p>
        </div>
        <div className="page-actions">
          {dirty ? <span className="dirty-note">{t('guard.unsaved')}</span> : null}
          <button className="btn btn-ghost" type="button" onClick={discard} disabled={!dirty}>
            {t('guard.discard')}
          </button>
          <button className="btn btn-primary" type="button" onClick={save} disabled={saving || !draft}>
            {saving ? t('common.saving') : t('guard.save')}
          </button>
        </div>
      </div>
      <FormError message={error} />
      <div className="admin-body">
        {loadError ? (
          <div className="card pad error-text">{loadError}</div>
        ) : !draft ? (
          <div className="card pad muted">{t('guard.loading')}</div>
        ) : (
          <>
            <div className="tabs tabs-line" role="tablist">
              {(['form', 'json'] as const).map((x) => (
                <button key={x} type="button" role="tab" className={`tab${tab === x ? ' active' : ''}`} aria-selected={tab === x} onClick={() => switchTab(x)}>
                  {t(`guard.tab_${x}`)}
                </button>
              ))}
            </div>
            {tab === 'json' ? (
              <div className="card pad json-card">
                {Object.keys(fields).length ? (
                  <div className="json-errors-box">
                    <strong>{t('guard.rejected')}</strong>
                    <ul className="json-errors">
                      {Object.entries(fields).map(([p, m]) => (
                        <li key={p}>
                          <code>{p}</code> {String(m)}
                        </li>
                      ))}
                    </ul>
                  </div>
                ) : null}
                <textarea className="json-editor mono" spellCheck={false} aria-label={t('guard.jsonLabel')} name="policy-json" value={json} onChange={(e) => setJson(e.target.value)} />
              </div>
            ) : (
              <div className="policy-form">
                <div className="card table-card">
                  <div className="card-head">
                    <h2>{t('guard.maskingTitle')}</h2>
                  </div>
                  <table className="table policy-table">
                    <thead>
                      <tr>
                        <th>{t('guard.kind')}</th>
                        <th className="center">{t('guard.maskPrivate')}</th>
                        <th className="center">{t('guard.maskPublic')}</th>
                        <th>{t('guard.whenPublic')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {Object.entries(draft.types ?? {}).map(([type, rule]) => {
                        const path = `types.${type}`;
                        const actions = PUBLIC_ACTIONS.includes(rule.publicAction) ? PUBLIC_ACTIONS : [...PUBLIC_ACTIONS, rule.publicAction];
                        return (
                          <tr key={type} data-type={type}>
                            <td>
                              <div className="strong">{cap(findingLabel(type, t))}</div>
                              <code className="muted small">{type}</code>
                              {msg(path)}
                            </td>
                            <td className="center">
                              <input type="checkbox" checked={Boolean(rule.maskPrivate)} data-field={`${path}.maskPrivate`} aria-label={t('guard.maskPrivateOf', { type: findingLabel(type, t) })} onChange={(e) => update((d) => (d.types[type]!.maskPrivate = e.target.checked))} />
                              {msg(`${path}.maskPrivate`)}
                            </td>
                            <td className="center">
                              <input type="checkbox" checked={Boolean(rule.maskPublic)} data-field={`${path}.maskPublic`} aria-label={t('guard.maskPublicOf', { type: findingLabel(type, t) })} onChange={(e) => update((d) => (d.types[type]!.maskPublic = e.target.checked))} />
                              {msg(`${path}.maskPublic`)}
                            </td>
                            <td>
                              <select className={`select-sm${fields[`${path}.publicAction`] ? ' invalid' : ''}`} data-field={`${path}.publicAction`} aria-label={t('guard.inPublicOf', { type: findingLabel(type, t) })} value={rule.publicAction} onChange={(e) => update((d) => (d.types[type]!.publicAction = e.target.value))}>
                                {actions.map((v) => (
                                  <option key={v} value={v}>
                                    {t(`guard.action_${v}`, { defaultValue: v })}
                                  </option>
                                ))}
                              </select>
                              {msg(`${path}.publicAction`)}
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
                <Templates draft={draft} lang={lang} setLang={setLang} fields={fields} update={update} />
              </div>
            )}
          </>
        )}
      </div>
    </div>
  );
}

function Templates({ draft, lang, setLang, fields, update }: { draft: GuardPolicy; lang: string; setLang: (l: string) => void; fields: Record<string, unknown>; update: (fn: (d: GuardPolicy) => void) => void }) {
  const { t } = useTranslation();
  const langs = Object.keys(draft.templates ?? {});
  const l = langs.includes(lang) ? lang : (langs[0] ?? 'en');
  const tpl = draft.templates?.[l] ?? {};
  const msg = (path: string) => (typeof fields[path] === 'string' ? <div className="field-msg">{fieldMessage(fields[path] as string)}</div> : null);
  const area = (path: string, value: unknown, set: (v: string) => void, label?: string) => {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return (
      <>
        <textarea aria-label={label} className={`tpl${fields[path] ? ' invalid' : ''}`} data-field={path} dir="auto" rows={Math.min(8, Math.max(2, Math.ceil(text.length / 90) + text.split('\n').length - 1))} value={text} onChange={(e) => set(e.target.value)} />
        {msg(path)}
      </>
    );
  };
  const unmatched = Object.entries(fields).filter(([p]) => !p.startsWith('types.') && !p.startsWith(`templates.${l}.`));
  return (
    <div className="card pad">
      <div className="card-head">
        <h2>{t('guard.messagesTitle')}</h2>
        <div className="tabs" role="tablist" aria-label={t('nav.language')}>
          {langs.map((x) => (
            <button key={x} type="button" role="tab" aria-selected={x === l} className={`tab${x === l ? ' active' : ''}${Object.keys(fields).some((p) => p.startsWith(`templates.${x}.`)) ? ' has-error' : ''}`} onClick={() => setLang(x)}>
              {t(`language.${x}`, { defaultValue: x })}
            </button>
          ))}
        </div>
      </div>
      {unmatched.length ? (
        <ul className="json-errors">
          {unmatched.map(([p, m]) => (
            <li key={p}>
              <code>{p}</code> {String(m)}
            </li>
          ))}
        </ul>
      ) : null}
      {Object.entries(tpl).map(([key, value]) => {
        const base = `templates.${l}.${key}`;
        const title = t(`guard.tpl_${key}`, { defaultValue: key });
        const hint = t(`guard.tplHint_${key}`, { defaultValue: '' });
        return (
          <div className="tpl-section" key={key}>
            <h3>{title}</h3>
            {hint ? <p className="muted small">{hint}</p> : null}
            {typeof value === 'string' ? (
              area(base, value, (v) => update((d) => (d.templates[l]![key] = v)), title)
            ) : (
              <div className="tpl-grid">
                {Object.entries(value ?? {}).map(([sub, text]) => (
                  <label className="field" key={sub}>
                    <span className="field-label">{t(`guard.group_${sub}`, { defaultValue: cap(findingLabel(sub, t)) })}</span>
                    {area(`${base}.${sub}`, text, (v) => update((d) => ((d.templates[l]![key] as Record<string, string>)[sub] = v)))}
                  </label>
                ))}
              </div>
            )}
          </div>
        );
      })}
    </div>
  );
}
