// Admin: the append-only audit log, newest first, filterable by actor, action and date, with "load more".
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/endpoints.ts';
import type { AuditEntry, User } from '../api/types.ts';
import { Bidi, FormError, Icon, isolate } from '../components/ui.tsx';
import { fullTime, relativeSentence } from '../lib/format.ts';
import { errorMessage } from '../api/errors.ts';

const ACTIONS = ['', 'session', 'message', 'conversation', 'note', 'guard', 'connector', 'user', 'token', 'settings', 'canned'];

export function AuditPage() {
  const { t } = useTranslation();
  const [users, setUsers] = useState<Map<string, User>>(new Map());
  const [filters, setFilters] = useState({ actor: '', action: '', since: '' });
  const [items, setItems] = useState<AuditEntry[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const token = useRef(0);

  useEffect(() => {
    api.users().then(
      (page) => setUsers(new Map(page.items.map((u) => [u.id, u]))),
      () => {},
    );
  }, []);

  const load = useCallback(
    async (cursor?: string | null) => {
      const mine = ++token.current;
      setLoading(true);
      if (!cursor) setItems([]);
      const q: Record<string, string> = { actor: filters.actor, action: filters.action };
      if (filters.since) q.since = new Date(filters.since).toISOString();
      try {
        const page = await api.audit(q, cursor);
        if (mine !== token.current) return;
        setItems((old) => (cursor ? [...old, ...page.items] : page.items));
        setNextCursor(page.nextCursor ?? null);
        setError(null);
      } catch (err) {
        if (mine === token.current) setError(errorMessage(err));
      } finally {
        if (mine === token.current) setLoading(false);
      }
    },
    [filters],
  );
  useEffect(() => void load(), [load]);

  const actor = (id: string | null) => {
    if (!id)
      return (
        <span className="system">
          <Icon name="shield" />
          {t('audit.system')}
        </span>
      );
    const u = users.get(id);
    return u ? <Bidi className="actor">{u.name || u.email}</Bidi> : <code className="muted small">{id.slice(0, 8)}</code>;
  };

  return (
    <div className="admin-page">
      <div className="page-head">
        <div>
          <h1>{t('audit.title')}</h1>
          <p className="muted">{t('audit.intro')}</p>
        </div>
      </div>
      <div className="toolbar">
        <label className="inline-field">
          <span>{t('audit.who')}</span>
          <select className="select-sm" value={filters.actor} onChange={(e) => setFilters((f) => ({ ...f, actor: e.target.value }))}>
            <option value="">{t('audit.everyone')}</option>
            {[...users.values()].map((u) => (
              <option key={u.id} value={u.id}>
                {isolate(u.name || u.email)} ({u.email})
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          <span>{t('audit.what')}</span>
          <select className="select-sm" value={filters.action} onChange={(e) => setFilters((f) => ({ ...f, action: e.target.value }))}>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {t(`audit.action_${a || 'all'}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          <span>{t('audit.since')}</span>
          <input type="datetime-local" className="input-sm" value={filters.since} onChange={(e) => setFilters((f) => ({ ...f, since: e.target.value }))} />
        </label>
        <button className="btn btn-sm btn-ghost" type="button" onClick={() => setFilters({ actor: '', action: '', since: '' })}>
          {t('common.clear')}
        </button>
      </div>
      <FormError message={error} />
      <div className="card table-card">
        <table className="table audit-table">
          <thead>
            <tr>
              <th>{t('audit.when')}</th>
              <th>{t('audit.who')}</th>
              <th>{t('audit.action')}</th>
              <th>{t('audit.target')}</th>
              <th>{t('audit.details')}</th>
            </tr>
          </thead>
          <tbody>
            {items.length ? (
              items.map((e) => (
                <tr key={e.id}>
                  <td className="nowrap" title={fullTime(e.createdAt)}>
                    {fullTime(e.createdAt)}
                    <span className="muted small"> · {relativeSentence(e.createdAt)}</span>
                  </td>
                  <td className="nowrap">{actor(e.actorId)}</td>
                  <td>
                    <code className="action-code">{e.action}</code>
                  </td>
                  <td className="nowrap">
                    {e.targetType ? (
                      <>
                        <span className="muted">{e.targetType} </span>
                        {e.targetType === 'conversation' && e.targetId ? (
                          <a href={`#/inbox/${encodeURIComponent(e.targetId)}`} title={t('audit.openConversation')}>
                            <code className="small">{e.targetId.slice(0, 8)}</code>
                          </a>
                        ) : e.targetType === 'user' && e.targetId && users.get(e.targetId) ? (
                          <Bidi>{users.get(e.targetId)!.email}</Bidi>
                        ) : (
                          <code className="small" title={e.targetId ?? ''}>
                            {(e.targetId ?? '').slice(0, 8)}
                          </code>
                        )}
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>
                    {e.data && Object.keys(e.data).length ? (
                      <div className="audit-data">
                        {Object.entries(e.data)
                          .filter(([, v]) => v !== undefined && v !== null)
                          .map(([k, v]) => (
                            <span className="kvchip" key={k}>
                              <span className="kv-k">{k}</span>
                              <Bidi className="kv-v">{Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v)}</Bidi>
                            </span>
                          ))}
                      </div>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                </tr>
              ))
            ) : (
              <tr>
                <td colSpan={5} className="muted center pad">
                  {loading ? t('common.loading') : t('audit.none')}
                </td>
              </tr>
            )}
          </tbody>
        </table>
        <div className="table-foot">
          {nextCursor ? (
            <button className="btn btn-ghost btn-block" type="button" disabled={loading} onClick={() => load(nextCursor)}>
              {loading ? t('common.loading') : t('common.loadMore')}
            </button>
          ) : items.length ? (
            <div className="muted small center">{t('audit.end', { count: items.length })}</div>
          ) : null}
        </div>
      </div>
    </div>
  );
}
