// Admin: workspace settings. Security: make two-factor sign-in mandatory for everyone (GET/PUT
// /api/settings/security). First response: the target per channel in minutes (GET/PUT /api/settings/sla),
// which drives the overdue timers in the inbox.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import { api } from '../api/endpoints.ts';
import type { Platform } from '../api/types.ts';
import { toast } from '../components/toasts.tsx';
import { Field, FormError, Switch, fieldError } from '../components/ui.tsx';

const PLATFORMS: Platform[] = ['telegram', 'discord', 'x'];

export function SettingsPage() {
  const { t } = useTranslation();
  return (
    <div className="admin-page">
      <div className="page-head">
        <div>
          <h1>{t('settings.title')}</h1>
          <p className="muted">{t('settings.intro')}</p>
        </div>
      </div>
      <div className="admin-body">
        <SecuritySettings />
        <SlaSettings />
      </div>
    </div>
  );
}

function unavailable(err: unknown, t: (k: string) => string): string {
  return err instanceof ApiError && err.status === 404 ? t('settings.unavailable') : errorMessage(err);
}

function SecuritySettings() {
  const { t } = useTranslation();
  const [value, setValue] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.securitySettings().then(
      (s) => setValue(s.requireTwoFactor),
      (err) => setError(unavailable(err, t)),
    );
  }, [t]);
  async function change(requireTwoFactor: boolean) {
    try {
      const s = await api.saveSecuritySettings({ requireTwoFactor });
      setValue(s.requireTwoFactor);
      toast(s.requireTwoFactor ? t('settings.twoFactorRequiredOn') : t('settings.twoFactorRequiredOff'), 'ok');
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  }
  return (
    <section className="card pad settings-card" aria-labelledby="sec-title">
      <h2 id="sec-title">{t('settings.securityTitle')}</h2>
      <FormError message={error} />
      {value !== null ? (
        <>
          <Switch checked={value} onChange={change} label={t('settings.requireTwoFactor')} />
          <p className="muted small">{t('settings.requireTwoFactorHint')}</p>
        </>
      ) : null}
    </section>
  );
}

function SlaSettings() {
  const { t } = useTranslation();
  const [targets, setTargets] = useState<Record<Platform, number> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, unknown>>({});
  const slaLabel = (p: Platform) => t('settings.slaFor', { platform: t(`platform.${p}`) });
  useEffect(() => {
    api.slaSettings().then(
      (s) => setTargets(s.targetsMinutes),
      (err) => setError(unavailable(err, t)),
    );
  }, [t]);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const targetsMinutes = Object.fromEntries(PLATFORMS.map((p) => [p, Number(data.get(p))])) as Record<Platform, number>;
    setError(null);
    setFields({});
    try {
      setTargets((await api.saveSlaSettings({ targetsMinutes })).targetsMinutes);
      toast(t('settings.slaSaved'), 'ok');
    } catch (err) {
      setFields(err instanceof ApiError ? err.fields : {});
      // A problem with one target is named by that field's label ("Telegram (minutes)"), not its path.
      setError(errorMessage(err, Object.fromEntries(PLATFORMS.map((p) => [`targetsMinutes.${p}`, slaLabel(p)]))));
    }
  }
  return (
    <form className="card pad settings-card" onSubmit={submit} aria-labelledby="sla-title" noValidate>
      <h2 id="sla-title">{t('settings.slaTitle')}</h2>
      <p className="muted small">{t('settings.slaHint')}</p>
      <FormError message={error} />
      {targets ? (
        <>
          <div className="form-grid">
            {PLATFORMS.map((p) => (
              <Field key={p} label={slaLabel(p)} error={fieldError(fields, `targetsMinutes.${p}`)}>
                <input name={p} type="number" min={1} defaultValue={targets[p]} />
              </Field>
            ))}
          </div>
          <div className="form-actions">
            <button className="btn btn-primary" type="submit">
              {t('common.save')}
            </button>
          </div>
        </>
      ) : null}
    </form>
  );
}
