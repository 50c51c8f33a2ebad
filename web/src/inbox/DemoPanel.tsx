// Demo mode only: post as a simulated customer through the platform fakes (POST /api/demo/messages), privately
// or in public, on Telegram, Discord or X, and watch the guard act on your own text. The panel appears only
// when the server runs in demo mode (GET /api/demo answers 200 then, 404 otherwise), and offers the platforms it
// simulates.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import { api } from '../api/endpoints.ts';
import type { Platform, Visibility } from '../api/types.ts';
import { toast } from '../components/toasts.tsx';
import { FormError } from '../components/ui.tsx';

let demoPlatforms: Promise<Platform[] | null> | null = null;
/** The platforms demo mode simulates, or null when it is off (asked once per page load). */
function probeDemo(): Promise<Platform[] | null> {
  demoPlatforms ??= api.demoStatus().then(
    (status) => status.platforms,
    (err) => {
      if (err instanceof ApiError && err.status === 404) return null;
      demoPlatforms = null; // a network blip: ask again next time
      return null;
    },
  );
  return demoPlatforms;
}

export function DemoPanel() {
  const { t } = useTranslation();
  const [platforms, setPlatforms] = useState<Platform[] | null>(null);
  const [platform, setPlatform] = useState<Platform>('telegram');
  const [visibility, setVisibility] = useState<Visibility>('public');
  const [name, setName] = useState('');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void probeDemo().then((list) => {
      if (!live || !list?.length) return;
      setPlatforms(list);
      setPlatform((p) => (list.includes(p) ? p : list[0]!));
    });
    return () => {
      live = false;
    };
  }, []);
  if (!platforms) return null;

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
      setError(errorMessage(err));
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
            {platforms.map((p) => (
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
