// The sign-in screen. POST /api/session sets the httpOnly session cookie; nothing is kept in the browser.
// With two-factor sign-in on, the API answers 401 `otp_required` and a second step asks for the code (a
// recovery code works too); 429 `too_many_attempts` says how long to wait.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import { api } from '../api/endpoints.ts';
import type { Me } from '../api/types.ts';
import { setLanguage, UI_LANGUAGES, type UiLanguage } from '../i18n/index.ts';
import { FormError, Icon } from './ui.tsx';

export function SignIn({ notice, onSignedIn }: { notice: string | null; onSignedIn: (me: Me) => void }) {
  const { t, i18n } = useTranslation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  const [needOtp, setNeedOtp] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const otpRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = `${t('signin.title')} · ${t('app.name')}`;
  }, [t]);
  useEffect(() => (needOtp ? otpRef : emailRef).current?.focus(), [needOtp]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!email.trim() || !password) {
      setError(t('signin.missing'));
      (email.trim() ? passwordRef : emailRef).current?.focus();
      return;
    }
    if (needOtp && !otp.trim()) {
      setError(t('signin.otpMissing'));
      otpRef.current?.focus();
      return;
    }
    setBusy(true);
    try {
      onSignedIn(await api.signIn(email.trim(), password, needOtp ? otp.replace(/\s+/g, '') : undefined));
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.code === 'otp_required') {
        setNeedOtp(true);
        return;
      }
      if (err instanceof ApiError && err.code === 'invalid_otp') {
        setError(errorMessage(err));
        otpRef.current?.select();
        return;
      }
      setError(errorMessage(err));
      passwordRef.current?.select();
    }
  }

  return (
    <div className="signin">
      <form className="signin-card" noValidate onSubmit={submit}>
        <div className="signin-top">
          <div className="signin-brand">
            <span className="brand-mark">
              <Icon name="shield" />
            </span>
            <span>{t('app.name')}</span>
          </div>
          <select className="select-sm" aria-label={t('nav.language')} value={i18n.language} onChange={(e) => setLanguage(e.target.value as UiLanguage)}>
            {UI_LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {l === 'zh' ? '简体中文' : 'English'}
              </option>
            ))}
          </select>
        </div>
        <h1>{t('signin.title')}</h1>
        <p className="muted">{t('signin.tagline')}</p>
        {notice ? <div className="notice">{notice}</div> : null}
        <FormError message={error} />
        <label className="field">
          <span className="field-label">{t('signin.email')}</span>
          <input ref={emailRef} id="signin-email" name="email" type="email" autoComplete="username" required placeholder="you@company.com" value={email} onChange={(e) => setEmail(e.target.value)} readOnly={needOtp} />
        </label>
        <label className="field">
          <span className="field-label">{t('signin.password')}</span>
          <input ref={passwordRef} id="signin-password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} readOnly={needOtp} />
        </label>
        {needOtp ? (
          <label className="field">
            <span className="field-label">{t('signin.otp')}</span>
            <input ref={otpRef} id="signin-otp" name="otp" inputMode="numeric" autoComplete="one-time-code" value={otp} onChange={(e) => setOtp(e.target.value)} />
            <span className="field-hint">{t('signin.otpHint')}</span>
          </label>
        ) : null}
        <button className="btn btn-primary btn-block" type="submit" disabled={busy}>
          {busy ? t('signin.busy') : t('signin.submit')}
        </button>
        {needOtp ? (
          <button className="btn btn-ghost btn-block" type="button" onClick={() => (setNeedOtp(false), setOtp(''), setError(null))}>
            {t('common.back')}
          </button>
        ) : null}
      </form>
    </div>
  );
}
