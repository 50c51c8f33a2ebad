// Admin: the people who work the inbox. Roles, deactivation (takes effect at once), password resets and
// resetting someone's two-factor sign-in (which also lifts their sign-in throttle).
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import { api } from '../api/endpoints.ts';
import type { Me, User } from '../api/types.ts';
import { toast } from '../components/toasts.tsx';
import { Avatar, Bidi, Field, FormError, Switch, fieldError } from '../components/ui.tsx';
import { fullTime, relativeSentence } from '../lib/format.ts';

export function UsersPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const [items, setItems] = useState<User[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [resetting, setResetting] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setItems((await api.users()).items);
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
    setLoading(false);
  }, []);
  useEffect(() => void load(), [load]);

  async function patch(u: User, change: Record<string, unknown>, done: string) {
    try {
      await api.updateUser(u.id, change);
      toast(done, 'ok');
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
    await load();
  }

  return (
    <div className="admin-page">
      <div className="page-head">
        <div>
          <h1>{t('users.title')}</h1>
          <p className="muted">{t('users.intro')}</p>
        </div>
        <button className="btn btn-primary" type="button" onClick={() => setAdding(true)}>
          {t('users.new')}
        </button>
      </div>
      <div className="admin-body">
        {adding ? (
          <NewUserForm
            onDone={() => {
              setAdding(false);
              void load();
            }}
            onCancel={() => setAdding(false)}
          />
        ) : null}
        {loading ? (
          <div className="card pad muted">{t('users.loading')}</div>
        ) : error ? (
          <div className="card pad error-text">{error}</div>
        ) : (
          <div className="card table-card">
            <table className="table users-table">
              <thead>
                <tr>
                  <th>{t('users.person')}</th>
                  <th>{t('users.role')}</th>
                  <th>{t('users.active')}</th>
                  <th>{t('users.twoFactor')}</th>
                  <th>{t('users.added')}</th>
                  <th className="right">
                    <span className="sr-only">{t('users.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((u) => {
                  const self = u.id === me.id;
                  return [
                    <tr key={u.id} className={u.active ? undefined : 'row-inactive'} data-id={u.id}>
                      <td>
                        <div className="person">
                          <Avatar id={u.id} name={u.name || u.email} size="sm" />
                          <div>
                            <div className="person-name">
                              <Bidi>{u.name || '—'}</Bidi>
                              {self ? <span className="muted"> {t('users.you')}</span> : null}
                            </div>
                            <div className="muted small">
                              <Bidi>{u.email}</Bidi>
                            </div>
                          </div>
                        </div>
                      </td>
                      <td data-label={t('users.role')}>
                        <select className="select-sm" aria-label={t('users.roleOf', { email: u.email })} value={u.role} onChange={(e) => patch(u, { role: e.target.value }, t(e.target.value === 'admin' ? 'users.nowAdmin' : 'users.nowAgent', { email: u.email }))}>
                          <option value="agent">{t('role.agent')}</option>
                          <option value="admin">{t('role.admin')}</option>
                        </select>
                      </td>
                      <td data-label={t('users.active')}>
                        <Switch
                          checked={u.active}
                          label={u.active ? t('users.activeOn') : t('users.activeOff')}
                          ariaLabel={t('users.activeLabel', { email: u.email })}
                          onChange={(active) => {
                            if (!active && !confirm(t('users.confirmDeactivate', { email: u.email }))) return;
                            void patch(u, { active }, t(active ? 'users.reactivated' : 'users.deactivated', { email: u.email }));
                          }}
                        />
                      </td>
                      <td data-label={t('users.twoFactor')}>
                        {u.twoFactorEnabled ? (
                          <span className="chip chip-ok">{t('users.twoFactorOn')}</span>
                        ) : (
                          <span className="muted small">{u.twoFactorEnabled === false ? t('users.twoFactorOff') : '—'}</span>
                        )}
                      </td>
                      <td className="muted" data-label={t('users.added')} title={fullTime(u.createdAt)}>
                        {relativeSentence(u.createdAt)}
                      </td>
                      <td className="right nowrap">
                        {u.twoFactorEnabled ? (
                          <button className="btn btn-sm btn-ghost" type="button" onClick={() => confirm(t('users.confirmReset2fa', { email: u.email })) && patch(u, { resetTwoFactor: true }, t('users.reset2faDone', { email: u.email }))}>
                            {t('users.reset2fa')}
                          </button>
                        ) : null}
                        <button className="btn btn-sm btn-ghost" type="button" onClick={() => setResetting(resetting === u.id ? null : u.id)}>
                          {t('users.resetPassword')}
                        </button>
                      </td>
                    </tr>,
                    resetting === u.id ? (
                      <tr key={`${u.id}-reset`} className="row-form">
                        <td colSpan={6}>
                          <ResetForm u={u} onDone={() => setResetting(null)} />
                        </td>
                      </tr>
                    ) : null,
                  ];
                })}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </div>
  );
}

function ResetForm({ u, onDone }: { u: User; onDone: () => void }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      await api.updateUser(u.id, { password });
      toast(t('users.passwordSet', { email: u.email }), 'ok');
      onDone();
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  return (
    <form className="reset-form inline-form" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onDone()}>
      <Field label={t('users.newPasswordFor', { email: u.email })}>
        <input type="password" name="password" autoComplete="new-password" placeholder={t('users.passwordPlaceholder')} value={password} onChange={(e) => setPassword(e.target.value)} autoFocus />
      </Field>
      <button className="btn btn-primary btn-sm" type="submit">
        {t('users.setPassword')}
      </button>
      <button className="btn btn-ghost btn-sm" type="button" onClick={onDone}>
        {t('common.cancel')}
      </button>
      <FormError message={error} />
    </form>
  );
}

function NewUserForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, unknown>>({});
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    setFields({});
    const data = new FormData(e.currentTarget);
    const body = { email: String(data.get('email')).trim(), password: String(data.get('password')), role: String(data.get('role')) } as { email: string; password: string; role: string; name?: string };
    const name = String(data.get('name') ?? '').trim();
    if (name) body.name = name;
    try {
      await api.createUser(body);
      toast(t('users.added_toast', { email: body.email }), 'ok');
      onDone();
    } catch (err) {
      const f = err instanceof ApiError ? err.fields : {};
      setFields(f);
      setError(Object.keys(f).length ? t('common.checkFields') : errorMessage(err));
    }
  }
  return (
    <form className="card new-user-form" noValidate onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <div className="form-head">
        <h3>{t('users.newTitle')}</h3>
      </div>
      <FormError message={error} />
      <div className="form-grid">
        <Field label={t('users.email')} error={fieldError(fields, 'email')}>
          <input name="email" type="email" autoComplete="off" required autoFocus />
        </Field>
        <Field label={t('users.name')} error={fieldError(fields, 'name')}>
          <input name="name" placeholder={t('users.namePlaceholder')} />
        </Field>
        <Field label={t('users.role')}>
          <select name="role" defaultValue="agent">
            <option value="agent">{t('role.agent')}</option>
            <option value="admin">{t('role.admin')}</option>
          </select>
        </Field>
        <Field label={t('users.password')} hint={t('users.passwordHint')} error={fieldError(fields, 'password')}>
          <input name="password" type="password" autoComplete="new-password" placeholder={t('users.passwordPlaceholder')} />
        </Field>
      </div>
      <div className="form-actions">
        <button className="btn btn-primary" type="submit">
          {t('users.create')}
        </button>
        <button className="btn btn-ghost" type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
