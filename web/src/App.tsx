// The agents' and admins' app: the session check decides between sign-in and the shell (top bar, navigation,
// language switch, live status); the hash route picks the page. Global keys: g i / g c / g u / g p / g a / g r /
// g s go to pages, ? shows the shortcuts.
import { lazy, Suspense, useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, setSetupRequiredHandler, setUnauthorizedHandler } from './api/client.ts';
import { errorMessage } from './api/errors.ts';
import { api } from './api/endpoints.ts';
import type { Me } from './api/types.ts';
import { SignIn } from './components/SignIn.tsx';
import { Toasts, toast } from './components/toasts.tsx';
import { Bidi, Icon, isTyping } from './components/ui.tsx';
import { setLanguage, UI_LANGUAGES, type UiLanguage } from './i18n/index.ts';
import { clearDrafts } from './inbox/Composer.tsx';
import { Inbox } from './inbox/Inbox.tsx';
import { live, useLiveStatus } from './lib/live.ts';
import { navigate, parseHash, useHash } from './lib/route.ts';

// Pages other than the inbox load on first visit, so the inbox (what agents open all day) starts sooner.
const AccountPage = lazy(() => import('./account/AccountPage.tsx').then((m) => ({ default: m.AccountPage })));
const AuditPage = lazy(() => import('./admin/AuditPage.tsx').then((m) => ({ default: m.AuditPage })));
const CannedPage = lazy(() => import('./admin/CannedPage.tsx').then((m) => ({ default: m.CannedPage })));
const ConnectorsPage = lazy(() => import('./admin/ConnectorsPage.tsx').then((m) => ({ default: m.ConnectorsPage })));
const GuardPolicyPage = lazy(() => import('./admin/GuardPolicyPage.tsx').then((m) => ({ default: m.GuardPolicyPage })));
const SettingsPage = lazy(() => import('./admin/SettingsPage.tsx').then((m) => ({ default: m.SettingsPage })));
const UsersPage = lazy(() => import('./admin/UsersPage.tsx').then((m) => ({ default: m.UsersPage })));

interface PageDef {
  path: string;
  label: string;
  admin?: boolean;
  key?: string;
}

const PAGES: PageDef[] = [
  { path: 'inbox', label: 'nav.inbox', key: 'i' },
  { path: 'admin/connectors', label: 'nav.connectors', admin: true, key: 'c' },
  { path: 'admin/users', label: 'nav.users', admin: true, key: 'u' },
  { path: 'admin/guard', label: 'nav.guard', admin: true, key: 'p' },
  { path: 'admin/canned', label: 'nav.canned', admin: true, key: 'r' },
  { path: 'admin/settings', label: 'nav.settings', admin: true, key: 's' },
  { path: 'admin/audit', label: 'nav.audit', admin: true, key: 'a' },
];

export function App() {
  const { t } = useTranslation();
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [notice, setNotice] = useState<string | null>(null);

  const signedOut = useCallback(
    (message?: string) => {
      live.disconnect();
      clearDrafts();
      setNotice(message ?? null);
      setMe(null);
    },
    [setMe],
  );

  useEffect(() => {
    setUnauthorizedHandler(() => signedOut(t('signin.sessionEnded')));
    setSetupRequiredHandler(() => {
      setMe((m) => (m ? { ...m, twoFactorRequired: true, twoFactorEnabled: false } : m));
      navigate('#/account');
    });
  }, [signedOut, t]);

  useEffect(() => {
    api.session().then(setMe, (err) => {
      setMe(null);
      if (!(err instanceof ApiError && err.status === 401)) toast(errorMessage(err), 'error');
    });
  }, []);

  useEffect(() => {
    if (!me) return;
    live.connect(() => signedOut(t('signin.sessionEnded')));
    return () => live.disconnect();
    // Reconnect only when the person changes, not on every profile refresh.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [me?.id]);

  if (me === undefined) return <div className="boot-msg">{t('common.loading')}</div>;
  return (
    <>
      {me ? <Shell me={me} setMe={setMe} onSignOut={() => api.signOut().catch(() => {}).then(() => signedOut())} /> : <SignIn notice={notice} onSignedIn={(m) => (setNotice(null), setMe(m))} />}
      <Toasts />
    </>
  );
}

function Shell({ me, setMe, onSignOut }: { me: Me; setMe: (m: Me) => void; onSignOut: () => void }) {
  const { t, i18n } = useTranslation();
  const hash = useHash();
  const [help, setHelp] = useState(false);
  let route = parseHash(hash);
  const mustEnrol = Boolean(me.twoFactorRequired && !me.twoFactorEnabled);
  const known = route.path === 'account' || PAGES.some((p) => p.path === route.path && (!p.admin || me.role === 'admin'));
  if (mustEnrol) route = { path: 'account', param: null };
  else if (!known) route = { path: 'inbox', param: null };

  useEffect(() => {
    if (mustEnrol && hash !== '#/account') navigate('#/account', { replace: true });
    else if (!known) navigate('#/inbox', { replace: true });
  }, [mustEnrol, known, hash]);

  const page = PAGES.find((p) => p.path === route.path);
  useEffect(() => {
    document.title = `${page ? t(page.label) : t('nav.account')} · ${t('app.name')}`;
  }, [page, t]);

  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [hash]);

  const pendingG = useRef(0);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target) || isTyping()) return;
      if (e.key === '?') {
        e.preventDefault();
        setHelp((h) => !h);
      } else if (e.key === 'Escape') setHelp(false);
      else if (e.key === 'g') pendingG.current = Date.now();
      else if (Date.now() - pendingG.current < 1200) {
        pendingG.current = 0;
        const target = PAGES.find((p) => p.key === e.key && (!p.admin || me.role === 'admin'));
        if (target) {
          e.preventDefault();
          navigate(`#/${target.path}`);
        }
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [me.role]);

  let content: ReactNode;
  switch (route.path) {
    case 'inbox':
      content = <Inbox me={me} conversationId={route.param} />;
      break;
    case 'account':
      content = <AccountPage me={me} onChanged={setMe} />;
      break;
    case 'admin/connectors':
      content = <ConnectorsPage />;
      break;
    case 'admin/users':
      content = <UsersPage me={me} />;
      break;
    case 'admin/guard':
      content = <GuardPolicyPage />;
      break;
    case 'admin/canned':
      content = <CannedPage />;
      break;
    case 'admin/settings':
      content = <SettingsPage />;
      break;
    case 'admin/audit':
      content = <AuditPage />;
      break;
  }

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="topbar">
        <a className="brand" href="#/inbox" aria-label={t('app.name')}>
          <span className="brand-mark">
            <Icon name="shield" />
          </span>
          <span className="brand-name">{t('app.name')}</span>
        </a>
        {/* Phones: the page links fold into a menu behind this button; wider screens show them in the bar. */}
        <button className="btn btn-ghost btn-sm nav-toggle" type="button" aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen((o) => !o)}>
          {t('nav.menu')}
        </button>
        <div id="main-nav" className={menuOpen ? 'nav-menu open' : 'nav-menu'} onKeyDown={(e) => e.key === 'Escape' && setMenuOpen(false)}>
          <nav className="nav" aria-label={t('nav.main')}>
            {PAGES.filter((p) => !p.admin || me.role === 'admin').map((p, i) => (
              <a key={p.path} href={`#/${p.path}`} data-path={p.path} className={[p.admin && i === 1 ? 'nav-first-admin' : '', route.path === p.path ? 'active' : ''].join(' ').trim() || undefined} aria-current={route.path === p.path ? 'page' : undefined}>
                {t(p.label)}
              </a>
            ))}
          </nav>
          <a href="#/account" className={['nav-account', route.path === 'account' ? 'active' : ''].join(' ').trim()} aria-current={route.path === 'account' ? 'page' : undefined}>
            <span>
              <Bidi>{me.name || me.email}</Bidi> · {t('nav.account')}
            </span>
          </a>
        </div>
        <div className="topbar-right">
          <LiveBadge />
          <label className="lang-switch">
            <span className="sr-only">{t('nav.language')}</span>
            <select className="select-sm" value={i18n.language} onChange={(e) => setLanguage(e.target.value as UiLanguage)} aria-label={t('nav.language')}>
              {UI_LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {l === 'zh' ? '简体中文' : 'English'}
                </option>
              ))}
            </select>
          </label>
          <div className="me">
            <a className="me-text" href="#/account" title={t('nav.account')}>
              <Bidi className="me-name">{me.name || me.email}</Bidi>
              <span className={`role role-${me.role}`}>{t(`role.${me.role}`)}</span>
            </a>
            <button className="btn btn-ghost btn-sm" type="button" onClick={onSignOut}>
              {t('nav.signOut')}
            </button>
          </div>
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        {mustEnrol ? (
          <div className="notice notice-banner" role="alert">
            {t('account.mustEnrol')}
          </div>
        ) : null}
        <Suspense fallback={<div className="card pad muted page-loading">{t('common.loading')}</div>}>{content}</Suspense>
      </main>
      {help ? <HelpOverlay admin={me.role === 'admin'} onClose={() => setHelp(false)} /> : null}
    </div>
  );
}

function LiveBadge() {
  const { t } = useTranslation();
  const status = useLiveStatus();
  return (
    <span id="live" className={`live live-${status}`} title={status === 'refused' ? live.getReason() : t(`live.${status}Hint`)}>
      <span className="live-dot" aria-hidden="true" />
      <span>{t(`live.${status}`)}</span>
    </span>
  );
}

function HelpOverlay({ admin, onClose }: { admin: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  const rows: Array<[string, string]> = [
    ['j / k', t('help.move')],
    ['Enter', t('help.open')],
    ['r', t('help.reply')],
    ['n', t('help.note')],
    ['Ctrl + Enter', t('help.send')],
    ['/', t('help.search')],
    ['Esc', t('help.leave')],
    ['g i', t('help.goInbox')],
    ...(admin
      ? ([
          ['g c', t('help.goConnectors')],
          ['g u', t('help.goUsers')],
          ['g p', t('help.goGuard')],
          ['g r', t('help.goCanned')],
          ['g s', t('help.goSettings')],
          ['g a', t('help.goAudit')],
        ] as Array<[string, string]>)
      : []),
    ['?', t('help.toggle')],
  ];
  return (
    <div className="help-overlay" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div className="help-card" role="dialog" aria-modal="true" aria-label={t('help.title')} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
        <h2>{t('help.title')}</h2>
        <table className="help-table">
          <tbody>
            {rows.map(([k, v]) => (
              <tr key={k}>
                <td>
                  <kbd>{k}</kbd>
                </td>
                <td>{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button ref={closeRef} className="btn btn-sm" type="button" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </div>
  );
}
