// Demo mode only: post as a simulated customer through the platform fakes (POST /api/demo/messages), privately
// or in public, on Telegram, Discord or X, and watch the guard act on your own text. The panel appears only
// when the server runs in demo mode: it answers an empty post with a validation error (400) then, and with 404
// otherwise; nothing is posted by that probe.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { api } from '../api/endpoints.ts';
import type { Platform, Visibility } from '../api/types.ts';
import { toast } from '../components/toasts.tsx';
import { FormError } from '../components/ui.tsx';

let demoAvailable: Promise<boolean> | null = null;
function probeDemo(): Promise<boolean> {
  demoAvailable ??= api.demoPost({} as never).then(
    () => true,
    (err) => err instanceof ApiError && err.status === 400,
  );
  return demoAvailable;
}

export function DemoPanel() {
  const { t } = useTranslation();
  const [available, setAvailable] = useState(false);
  const [platform, setPlatform] = useState<Platform>('telegram');
  const [visibility, setVisibility] = useState<Visibility>('public');
  const [name, setName] = useState('');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void probeDemo().then((ok) => live && setAvailable(ok));
    return () => {
      live = false;
    };
  }, []);
  if (!available) return null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!text.trim()) {
      setError(t('demo.empty'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.demoPost({ platform, visibility, text, ...(name.trim() ? { name: name.trim() } : {}) });
      toast(t('demo.posted'), 'ok');
      setText('');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card demo-panel" onSubmit={submit} aria-labelledby="demo-title">
      <h3 id="demo-title">{t('demo.title')}</h3>
      <p className="muted small">{t('demo.hint')}</p>
      <FormError message={error} />
      <div className="demo-row">
        <label className="inline-field">
          <span>{t('demo.platform')}</span>
          <select className="select-sm" name="platform" value={platform} onChange={(e) => setPlatform(e.target.value as Platform)}>
            {(['telegram', 'discord', 'x'] as const).map((p) => (
              <option key={p} value={p}>
                {t(`platform.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          <span>{t('demo.where')}</span>
          <select className="select-sm" name="visibility" value={visibility} onChange={(e) => setVisibility(e.target.value as Visibility)}>
            <option value="public">{t(`demo.public_${platform}`)}</option>
            <option value="private">{t('demo.private')}</option>
          </select>
        </label>
        <label className="inline-field">
          <span>{t('demo.name')}</span>
          <input className="input-sm" name="name" dir="auto" value={name} placeholder={t('demo.namePlaceholder')} onChange={(e) => setName(e.target.value)} />
        </label>
      </div>
      <textarea className="demo-text" name="text" rows={3} dir="auto" aria-label={t('demo.text')} placeholder={t('demo.textPlaceholder')} value={text} onChange={(e) => setText(e.target.value)} />
      <div className="form-actions">
        <button className="btn btn-primary" type="submit" disabled={busy}>
          {busy ? t('composer.sending') : t('demo.post')}
        </button>
      </div>
    </form>
  );
}
