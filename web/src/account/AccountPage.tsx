// The signed-in person's own account: password, two-factor sign-in (enrol with an authenticator app: QR code
// or the base32 secret, confirm with a code, keep the ten recovery codes shown once; turn off with the
// password unless an admin made it mandatory) and personal API tokens (the token is shown once).
import QRCode from 'qrcode';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import { api } from '../api/endpoints.ts';
import type { ApiToken, Me } from '../api/types.ts';
import { toast } from '../components/toasts.tsx';
import { Bidi, Field, FormError, fieldError } from '../components/ui.tsx';
import { fullTime, relativeSentence } from '../lib/format.ts';

export function AccountPage({ me, onChanged }: { me: Me; onChanged: (me: Me) => void }) {
  const { t } = useTranslation();
  return (
    <div className="admin-page">
      <div className="page-head">
        <div>
          <h1>{t('account.title')}</h1>
          <p className="muted">
            {me.name ? (
              <>
                <Bidi>{me.name}</Bidi> ·{' '}
              </>
            ) : null}
            {me.email} · {t(`role.${me.role}`)}
          </p>
        </div>
      </div>
      <div className="admin-body">
        <TwoFactor me={me} onChanged={onChanged} />
        <PasswordForm />
        <Tokens canCreate={me.role === 'admin'} />
      </div>
    </div>
  );
}

function TwoFactor({ me, onChanged }: { me: Me; onChanged: (me: Me) => void }) {
  const { t } = useTranslation();
  const [setup, setSetup] = useState<{ secret: string; otpauthUrl: string } | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [otp, setOtp] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    if (setup && canvas.current) void QRCode.toCanvas(canvas.current, setup.otpauthUrl, { width: 184, margin: 1 });
  }, [setup]);

  async function start() {
    setError(null);
    setBusy(true);
    try {
      setSetup(await api.twoFactorSetup());
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }
  async function confirmCode(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const result = await api.twoFactorEnable(otp.replace(/\s+/g, ''));
      setCodes(result.recoveryCodes);
      setSetup(null);
      setOtp('');
      onChanged({ ...me, twoFactorEnabled: true });
      toast(t('account.twoFactorOn'), 'ok');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }
  async function disable(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await api.twoFactorDisable(password);
      setPassword('');
      onChanged({ ...me, twoFactorEnabled: false });
      toast(t('account.twoFactorOff'), 'ok');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }
  function download() {
    const blob = new Blob([`${codes!.join('\n')}\n`], { type: 'text/plain' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'support-inbox-recovery-codes.txt';
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  return (
    <section className="card pad account-card" aria-labelledby="tfa-title">
      <h2 id="tfa-title">{t('account.twoFactorTitle')}</h2>
      <p className="muted small">{t('account.twoFactorIntro')}</p>
      <FormError message={error} />
      {codes ? (
        <div className="recovery-codes" role="region" aria-label={t('account.recoveryTitle')}>
          <strong>{t('account.recoveryTitle')}</strong>
          <p className="small">{t('account.recoveryHint')}</p>
          <ul className="mono">
            {codes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
          <div className="form-actions">
            <button className="btn btn-sm" type="button" onClick={download}>
              {t('account.download')}
            </button>
            <button className="btn btn-sm btn-ghost" type="button" onClick={() => setCodes(null)}>
              {t('account.savedCodes')}
            </button>
          </div>
        </div>
      ) : me.twoFactorEnabled ? (
        <form className="inline-form" onSubmit={disable}>
          <span className="chip chip-ok">{t('account.enabled')}</span>
          {me.twoFactorRequired ? (
            <span className="muted small">{t('account.requiredByAdmin')}</span>
          ) : (
            <>
              <Field label={t('account.passwordToDisable')}>
                <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
              </Field>
              <button className="btn btn-sm btn-danger-ghost" type="submit" disabled={busy || !password}>
                {t('account.disable')}
              </button>
            </>
          )}
        </form>
      ) : setup ? (
        <form className="tfa-setup" onSubmit={confirmCode}>
          <ol className="small">
            <li>{t('account.step1')}</li>
            <li>{t('account.step2')}</li>
          </ol>
          <div className="tfa-row">
            <canvas ref={canvas} width={184} height={184} aria-label={t('account.qrLabel')} role="img" />
            <div>
              <span className="field-label">{t('account.secret')}</span>
              <code className="mono secret-code">{setup.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
              <Field label={t('account.code')}>
                <input id="tfa-code" inputMode="numeric" autoComplete="one-time-code" value={otp} onChange={(e) => setOtp(e.target.value)} autoFocus />
              </Field>
              <div className="form-actions">
                <button className="btn btn-primary" type="submit" disabled={busy || !otp.trim()}>
                  {t('account.confirm')}
                </button>
                <button className="btn btn-ghost" type="button" onClick={() => setSetup(null)}>
                  {t('common.cancel')}
                </button>
              </div>
            </div>
          </div>
        </form>
      ) : (
        <button className="btn btn-primary" type="button" onClick={start} disabled={busy}>
          {t('account.enable')}
        </button>
      )}
    </section>
  );
}

function PasswordForm() {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, unknown>>({});
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const next = String(data.get('newPassword') ?? '');
    if (next !== String(data.get('repeat') ?? '')) {
      setError(t('account.mismatch'));
      return;
    }
    setError(null);
    setFields({});
    try {
      await api.changePassword(String(data.get('currentPassword') ?? ''), next);
      form.reset();
      toast(t('account.passwordChanged'), 'ok');
    } catch (err) {
      setFields(err instanceof ApiError ? err.fields : {});
      setError(errorMessage(err));
    }
  }
  return (
    <form className="card pad account-card" onSubmit={submit} aria-labelledby="pw-title" noValidate>
      <h2 id="pw-title">{t('account.passwordTitle')}</h2>
      <p className="muted small">{t('account.passwordIntro')}</p>
      <FormError message={error} />
      <div className="form-grid">
        <Field label={t('account.currentPassword')} error={fieldError(fields, 'currentPassword')}>
          <input name="currentPassword" type="password" autoComplete="current-password" />
        </Field>
        <Field label={t('account.newPassword')} error={fieldError(fields, 'newPassword')}>
          <input name="newPassword" type="password" autoComplete="new-password" />
        </Field>
        <Field label={t('account.repeatPassword')}>
          <input name="repeat" type="password" autoComplete="new-password" />
        </Field>
      </div>
      <div className="form-actions">
        <button className="btn btn-primary" type="submit">
          {t('account.changePassword')}
        </button>
      </div>
    </form>
  );
}

/** API tokens: everyone sees and revokes their own; creating one is for admins (api.md). */
function Tokens({ canCreate }: { canCreate: boolean }) {
  const { t } = useTranslation();
  const [items, setItems] = useState<ApiToken[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('');

  const load = useCallback(() => {
    api.tokens().then(
      (page) => setItems(page.items),
      (err) => setError(err instanceof ApiError && err.status === 404 ? t('settings.unavailable') : errorMessage(err)),
    );
  }, [t]);
  useEffect(load, [load]);

  async function create(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const token = await api.createToken(name.trim(), expires ? new Date(expires).toISOString() : undefined);
      setCreated(token.token);
      setName('');
      setExpires('');
      load();
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  async function revoke(tok: ApiToken) {
    if (!confirm(t('tokens.confirmRevoke', { name: tok.name }))) return;
    try {
      await api.revokeToken(tok.id);
      toast(t('tokens.revoked'), 'ok');
      load();
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  }
  return (
    <section className="card pad account-card" aria-labelledby="tok-title">
      <h2 id="tok-title">{t('tokens.title')}</h2>
      <p className="muted small">{t('tokens.intro')}</p>
      <FormError message={error} />
      {created ? (
        <div className="token-once" role="region" aria-label={t('tokens.createdTitle')}>
          <strong>{t('tokens.createdTitle')}</strong>
          <code className="mono secret-code">{created}</code>
          <div className="form-actions">
            <button className="btn btn-sm" type="button" onClick={() => navigator.clipboard.writeText(created).then(() => toast(t('common.copied'), 'ok'), () => toast(t('common.copyFailed'), 'error'))}>
              {t('common.copy')}
            </button>
            <button className="btn btn-sm btn-ghost" type="button" onClick={() => setCreated(null)}>
              {t('tokens.done')}
            </button>
          </div>
        </div>
      ) : null}
      {canCreate ? (
        <form className="inline-form" onSubmit={create}>
          <Field label={t('tokens.name')}>
            <input value={name} onChange={(e) => setName(e.target.value)} placeholder={t('tokens.namePlaceholder')} />
          </Field>
          <Field label={t('tokens.expires')}>
            <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
          </Field>
          <button className="btn btn-primary btn-sm" type="submit" disabled={!name.trim()}>
            {t('tokens.create')}
          </button>
        </form>
      ) : null}
      {items?.length ? (
        <table className="table">
          <thead>
            <tr>
              <th>{t('tokens.name')}</th>
              <th>{t('tokens.created')}</th>
              <th>{t('tokens.lastUsed')}</th>
              <th>{t('tokens.expires')}</th>
              <th className="right">
                <span className="sr-only">{t('users.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((tok) => (
              <tr key={tok.id}>
                <td>{tok.name}</td>
                <td title={fullTime(tok.createdAt)}>{relativeSentence(tok.createdAt)}</td>
                <td title={fullTime(tok.lastUsedAt)}>{tok.lastUsedAt ? relativeSentence(tok.lastUsedAt) : t('tokens.never')}</td>
                <td title={fullTime(tok.expiresAt)}>{tok.expiresAt ? fullTime(tok.expiresAt) : t('tokens.noExpiry')}</td>
                <td className="right">
                  <button className="btn btn-sm btn-danger-ghost" type="button" onClick={() => revoke(tok)}>
                    {t('tokens.revoke')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : items ? (
        <p className="muted small">{t('tokens.none')}</p>
      ) : null}
    </section>
  );
}
