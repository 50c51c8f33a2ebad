// Admin: canned responses (what agents insert with `/shortcut` in the composer), in Chinese and English.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import { api } from '../api/endpoints.ts';
import type { CannedResponse, Language } from '../api/types.ts';
import { toast } from '../components/toasts.tsx';
import { Field, FormError, fieldError } from '../components/ui.tsx';

export function CannedPage() {
  const { t } = useTranslation();
  const [items, setItems] = useState<CannedResponse[]>([]);
  const [language, setLanguage] = useState<Language | ''>('');
  const [q, setQ] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null); // 'new' | id
  const [loading, setLoading] = useState(true);

  const load = useCallback(async () => {
    try {
      setItems((await api.cannedResponses({ language, q: q.trim() })).items);
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
    setLoading(false);
  }, [language, q]);
  useEffect(() => {
    const timer = setTimeout(() => void load(), 200);
    return () => clearTimeout(timer);
  }, [load]);

  async function remove(c: CannedResponse) {
    if (!confirm(t('canned.confirmDelete', { shortcut: c.shortcut }))) return;
    try {
      await api.deleteCanned(c.id);
      toast(t('canned.deleted'), 'ok');
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
          <h1>{t('canned.pageTitle')}</h1>
          <p className="muted">{t('canned.intro')}</p>
        </div>
        <button className="btn btn-primary" type="button" onClick={() => setEditing('new')}>
          {t('canned.new')}
        </button>
      </div>
      <div className="toolbar">
        <label className="inline-field">
          <span>{t('canned.language')}</span>
          <select className="select-sm" value={language} onChange={(e) => setLanguage(e.target.value as Language | '')}>
            <option value="">{t('canned.allLanguages')}</option>
            <option value="zh">{t('language.zh')}</option>
            <option value="en">{t('language.en')}</option>
          </select>
        </label>
        <label className="inline-field">
          <span>{t('inbox.search')}</span>
          <input className="input-sm" type="search" dir="auto" value={q} onChange={(e) => setQ(e.target.value)} />
        </label>
      </div>
      <FormError message={error} />
      <div className="admin-body">
        {editing === 'new' ? <CannedForm existing={null} onDone={done} onCancel={() => setEditing(null)} /> : null}
        {loading ? <div className="card pad muted">{t('common.loading')}</div> : null}
        <div className="canned-admin-list">
          {items.map((c) =>
            editing === c.id ? (
              <CannedForm key={c.id} existing={c} onDone={done} onCancel={() => setEditing(null)} />
            ) : (
              <div className="card pad canned-card" key={c.id} data-shortcut={c.shortcut} data-language={c.language}>
                <div className="canned-card-head">
                  <code className="canned-shortcut">/{c.shortcut}</code>
                  <span className="chip">{t(`language.${c.language}`)}</span>
                  <strong dir="auto">{c.title}</strong>
                  <span className="spacer" />
                  <button className="btn btn-sm" type="button" onClick={() => setEditing(c.id)}>
                    {t('common.edit')}
                  </button>
                  <button className="btn btn-sm btn-danger-ghost" type="button" onClick={() => remove(c)}>
                    {t('common.delete')}
                  </button>
                </div>
                <p className="canned-body" dir="auto">
                  {c.text}
                </p>
              </div>
            ),
          )}
        </div>
        {!loading && !items.length ? <div className="card pad muted">{t('canned.none')}</div> : null}
      </div>
    </div>
  );
}

function CannedForm({ existing, onDone, onCancel }: { existing: CannedResponse | null; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, unknown>>({});
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const body = {
      shortcut: String(data.get('shortcut') ?? '').trim().replace(/^\//, ''),
      language: String(data.get('language')) as Language,
      title: String(data.get('title') ?? '').trim(),
      text: String(data.get('text') ?? ''),
    };
    try {
      if (existing) await api.updateCanned(existing.id, body);
      else await api.createCanned(body);
      toast(t('canned.saved'), 'ok');
      onDone();
    } catch (err) {
      const f = err instanceof ApiError ? err.fields : {};
      setFields(f);
      setError(errorMessage(err));
    }
  }
  return (
    <form className="card canned-form" noValidate onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <div className="form-head">
        <h3>{existing ? t('canned.editTitle', { shortcut: existing.shortcut }) : t('canned.newTitle')}</h3>
      </div>
      <FormError message={error} />
      <div className="form-grid">
        <Field label={t('canned.shortcut')} hint={t('canned.shortcutHint')} error={fieldError(fields, 'shortcut')}>
          <input name="shortcut" defaultValue={existing?.shortcut ?? ''} required autoFocus />
        </Field>
        <Field label={t('canned.language')} error={fieldError(fields, 'language')}>
          <select name="language" defaultValue={existing?.language ?? 'zh'}>
            <option value="zh">{t('language.zh')}</option>
            <option value="en">{t('language.en')}</option>
          </select>
        </Field>
        <Field label={t('canned.titleField')} wide error={fieldError(fields, 'title')}>
          <input name="title" dir="auto" defaultValue={existing?.title ?? ''} required />
        </Field>
        <Field label={t('canned.text')} wide error={fieldError(fields, 'text')}>
          <textarea name="text" dir="auto" rows={5} defaultValue={existing?.text ?? ''} required />
        </Field>
      </div>
      <div className="form-actions">
        <button className="btn btn-primary" type="submit">
          {t('common.save')}
        </button>
        <button className="btn btn-ghost" type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
