// The customer across platforms: their identities (Telegram, Discord, X accounts known to be the same person)
// and every conversation with them, public and private. Agents link another contact into this one (found by
// name or handle through the inbox search) and unlink an identity into a contact of its own.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import { api } from '../api/endpoints.ts';
import type { Contact, ContactRef } from '../api/types.ts';
import { toast } from '../components/toasts.tsx';
import { Bidi, Icon, isolate, PlatformBadge, VisibilityBadge } from '../components/ui.tsx';
import { relativeTime } from '../lib/format.ts';

export function ContactPanel({ contactId, currentId, onClose }: { contactId: string; currentId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const [contact, setContact] = useState<Contact | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [candidates, setCandidates] = useState<ContactRef[] | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    api.contact(contactId).then(
      (c) => (setContact(c), setError(null)),
      (err) => setError(err instanceof ApiError && err.status === 404 ? t('contact.unavailable') : errorMessage(err)),
    );
  }, [contactId, t]);
  useEffect(load, [load]);

  useEffect(() => {
    const q = query.trim();
    if (q.length < 2) {
      setCandidates(null);
      return;
    }
    const timer = setTimeout(async () => {
      try {
        const page = await api.conversations({ q, status: '' }, null, 50);
        const seen = new Map<string, ContactRef>();
        for (const c of page.items) if (c.contact && c.contact.id !== contactId && !seen.has(c.contact.id)) seen.set(c.contact.id, c.contact);
        setCandidates([...seen.values()]);
      } catch {
        setCandidates([]);
      }
    }, 250);
    return () => clearTimeout(timer);
  }, [query, contactId]);

  async function link(other: ContactRef) {
    setBusy(true);
    try {
      setContact(await api.linkContact(contactId, other.id));
      toast(t('contact.linked', { name: isolate(other.displayName || other.handle || '') }), 'ok');
      setQuery('');
    } catch (err) {
      toast(errorMessage(err), 'error');
    } finally {
      setBusy(false);
    }
  }

  async function unlink(identityId: string) {
    setBusy(true);
    try {
      await api.unlinkIdentity(contactId, identityId); // answers the new contact; this panel shows the old one
      load();
      toast(t('contact.unlinked'), 'ok');
    } catch (err) {
      toast(errorMessage(err), 'error');
    } finally {
      setBusy(false);
    }
  }

  return (
    <aside className="contact-panel" aria-label={t('contact.title')}>
      <div className="contact-head">
        <h3>{t('contact.title')}</h3>
        <button className="btn btn-ghost btn-xs" type="button" onClick={onClose} aria-label={t('common.close')}>
          <Icon name="x" />
        </button>
      </div>
      {error ? <p className="muted small">{error}</p> : null}
      {!contact && !error ? <p className="muted small">{t('common.loading')}</p> : null}
      {contact ? (
        <>
          <div className="contact-name">
            <Bidi>{contact.displayName || contact.handle || t('inbox.unknownCustomer')}</Bidi>
            {contact.language ? <span className="chip">{t(`language.${contact.language.toLowerCase().split('-')[0]}`, { defaultValue: contact.language })}</span> : null}
          </div>
          <h4>{t('contact.identities')}</h4>
          <ul className="identity-list">
            {contact.identities.map((i) => (
              <li key={i.id} className="identity">
                <PlatformBadge platform={i.platform} />
                <span className="identity-name">
                  <Bidi>{i.displayName || i.handle || i.platformUserId}</Bidi>
                  {i.handle ? (
                    <span className="muted small">
                      {' '}
                      @<Bidi>{i.handle.replace(/^@/, '')}</Bidi>
                    </span>
                  ) : null}
                </span>
                {contact.identities.length > 1 ? (
                  <button className="btn btn-xs btn-ghost" type="button" disabled={busy} onClick={() => unlink(i.id)} aria-label={t('contact.unlinkLabel', { name: i.displayName || i.handle || i.platformUserId })}>
                    {t('contact.unlink')}
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
          <h4>{t('contact.conversations')}</h4>
          <ul className="contact-convs">
            {contact.conversations.map((c) => (
              <li key={c.id}>
                <a href={`#/inbox/${c.id}`} className={c.id === currentId ? 'current' : undefined} aria-current={c.id === currentId ? 'true' : undefined}>
                  <PlatformBadge platform={c.platform} />
                  <VisibilityBadge visibility={c.visibility} />
                  <span className={`status-pill status-${c.status}`}>{t(`status.${c.status}`)}</span>
                  <span className="muted small">{relativeTime(c.lastMessageAt)}</span>
                </a>
              </li>
            ))}
          </ul>
          <h4>{t('contact.link')}</h4>
          <input className="input-sm" type="search" dir="auto" placeholder={t('contact.linkPlaceholder')} aria-label={t('contact.link')} value={query} onChange={(e) => setQuery(e.target.value)} />
          {candidates ? (
            candidates.length ? (
              <ul className="link-candidates">
                {candidates.map((o) => (
                  <li key={o.id}>
                    <Bidi>{o.displayName || o.handle || o.id}</Bidi>
                    {o.handle ? (
                      <span className="muted small">
                        {' '}
                        @<Bidi>{o.handle.replace(/^@/, '')}</Bidi>
                      </span>
                    ) : null}
                    <button className="btn btn-xs" type="button" disabled={busy} onClick={() => link(o)}>
                      <Icon name="link" />
                      {t('contact.linkButton')}
                    </button>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted small">{t('contact.noCandidates')}</p>
            )
          ) : null}
        </>
      ) : null}
    </aside>
  );
}
