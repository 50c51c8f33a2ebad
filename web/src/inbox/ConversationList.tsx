// The left pane: status tabs, filters, the search box and the conversation list, virtualized (only the rows in
// view are in the DOM, so 10,000 conversations scroll as smoothly as 10). Urgent conversations sort first.
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationFilters } from '../api/endpoints.ts';
import type { ConversationItem, Me } from '../api/types.ts';
import { Avatar, Bidi, Icon, isolate, PlatformBadge, VisibilityBadge } from '../components/ui.tsx';
import { fullTime, relativeTime } from '../lib/format.ts';
import { SlaTimer } from './SlaTimer.tsx';
import type { ConversationList as ListData } from './useConversationList.ts';

const STATUS_TABS: Array<ConversationFilters['status']> = ['open', 'pending', 'resolved', ''];

export interface ListPaneProps {
  me: Me;
  filters: ConversationFilters;
  setFilter: <K extends keyof ConversationFilters>(key: K, value: ConversationFilters[K]) => void;
  list: ListData;
  selectedId: string | null;
  onOpen: (id: string) => void;
  listRef: RefObject<HTMLUListElement | null>;
  searchRef: RefObject<HTMLInputElement | null>;
  scrollToIndexRef: RefObject<((i: number) => void) | null>;
}

export function ConversationListPane({ me, filters, setFilter, list, selectedId, onOpen, listRef, searchRef, scrollToIndexRef }: ListPaneProps) {
  const { t } = useTranslation();
  const [query, setQuery] = useState(filters.q);
  useEffect(() => setQuery(filters.q), [filters.q]);
  // Search as the agent types, a moment after the last key.
  useEffect(() => {
    if (query === filters.q) return;
    const timer = setTimeout(() => setFilter('q', query.trim()), 250);
    return () => clearTimeout(timer);
  }, [query, filters.q, setFilter]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: list.items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 92,
    overscan: 8,
    getItemKey: (i) => list.items[i]?.id ?? i,
  });
  scrollToIndexRef.current = (i: number) => virtualizer.scrollToIndex(i, { align: 'auto' });

  // Infinite scroll: near the end of what is loaded, fetch the next page.
  const virtualItems = virtualizer.getVirtualItems();
  const lastIndex = virtualItems[virtualItems.length - 1]?.index ?? -1;
  useEffect(() => {
    if (list.nextCursor && !list.loading && lastIndex >= list.items.length - 10) list.loadMore();
  }, [lastIndex, list.items.length, list.nextCursor, list.loading, list]);

  const empty = !list.items.length;
  const defaultView = filters.status === 'open' && !filters.platform && !filters.visibility && !filters.flagged && !filters.priority && !filters.q;

  return (
    <aside className="list-pane" aria-label={t('inbox.listLabel')}>
      <div className="list-head">
        <div className="search-box">
          <Icon name="search" className="search-icon" />
          <input
            ref={searchRef}
            id="inbox-search"
            type="search"
            className="search-input"
            placeholder={t('inbox.searchPlaceholder')}
            aria-label={t('inbox.search')}
            value={query}
            dir="auto"
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') setFilter('q', query.trim());
              if (e.key === 'Escape') {
                if (query) setQuery('');
                else (e.target as HTMLElement).blur();
              }
            }}
          />
        </div>
        <div className="tabs" role="tablist" aria-label={t('inbox.statusFilter')}>
          {STATUS_TABS.map((value) => (
            <button key={value || 'all'} type="button" role="tab" className={`tab${filters.status === value ? ' active' : ''}`} aria-selected={filters.status === value} data-value={value} onClick={() => setFilter('status', value)}>
              {value ? t(`status.${value}`) : t('inbox.all')}
            </button>
          ))}
        </div>
        <div className="filters">
          <select className="select-sm" id="filter-platform" aria-label={t('inbox.platformFilter')} value={filters.platform} onChange={(e) => setFilter('platform', e.target.value as ConversationFilters['platform'])}>
            <option value="">{t('inbox.allPlatforms')}</option>
            {(['telegram', 'discord', 'x'] as const).map((p) => (
              <option key={p} value={p}>
                {t(`platform.${p}`)}
              </option>
            ))}
          </select>
          <select className="select-sm" aria-label={t('inbox.visibilityFilter')} value={filters.visibility} onChange={(e) => setFilter('visibility', e.target.value as ConversationFilters['visibility'])}>
            <option value="">{t('inbox.anyVisibility')}</option>
            <option value="public">{t('inbox.publicOnly')}</option>
            <option value="private">{t('inbox.privateOnly')}</option>
          </select>
          <select className="select-sm" id="filter-priority" aria-label={t('inbox.priorityFilter')} value={filters.priority} onChange={(e) => setFilter('priority', e.target.value as ConversationFilters['priority'])}>
            <option value="">{t('inbox.anyPriority')}</option>
            {(['urgent', 'high', 'normal', 'low'] as const).map((p) => (
              <option key={p} value={p}>
                {t(`priority.${p}`)}
              </option>
            ))}
          </select>
          <label className="check-pill" title={t('inbox.flaggedHint')}>
            <input type="checkbox" checked={filters.flagged === 'true'} onChange={(e) => setFilter('flagged', e.target.checked ? 'true' : '')} />
            <span className="flag-dot" aria-hidden="true" />
            {t('inbox.flagged')}
          </label>
        </div>
      </div>
      <div className="list-scroll" ref={scrollRef}>
        {empty ? (
          <ul className="conv-list" role="listbox" aria-label={t('inbox.conversations')} ref={listRef}>
            {list.loading ? (
              Array.from({ length: 6 }, (_, i) => (
                <li key={i} className="conv-item skeleton" aria-hidden="true">
                  <span className="avatar avatar-md" />
                  <div className="conv-body">
                    <div className="sk-line w60" />
                    <div className="sk-line w90" />
                  </div>
                </li>
              ))
            ) : (
              <li className="list-empty">
                {list.error ? (
                  <>
                    <strong>{t('inbox.loadFailed')}</strong>
                    <span>{list.error}</span>
                    <button className="btn btn-sm" type="button" onClick={list.reload}>
                      {t('common.retry')}
                    </button>
                  </>
                ) : (
                  <>
                    <strong>{t('inbox.emptyTitle')}</strong>
                    <span>{defaultView ? t('inbox.caughtUp') : t('inbox.noMatch')}</span>
                  </>
                )}
              </li>
            )}
          </ul>
        ) : (
          <ul className="conv-list virtual" role="listbox" aria-label={t('inbox.conversations')} ref={listRef} style={{ height: virtualizer.getTotalSize() }}>
            {virtualItems.map((v) => {
              const c = list.items[v.index]!;
              return (
                <ConversationRow
                  key={c.id}
                  c={c}
                  index={v.index}
                  start={v.start}
                  measure={virtualizer.measureElement}
                  selected={c.id === selectedId}
                  unseen={list.unseen.has(c.id)}
                  meId={me.id}
                  showStatus={c.status !== 'open' || !filters.status}
                  onOpen={onOpen}
                />
              );
            })}
          </ul>
        )}
        <div className="list-foot">
          {list.nextCursor ? (
            <button className="btn btn-ghost btn-block" type="button" disabled={list.loading} onClick={list.loadMore}>
              {list.loading ? t('common.loading') : t('common.loadMore')}
            </button>
          ) : list.items.length > 8 ? (
            <div className="list-end muted">{t('inbox.endOfList')}</div>
          ) : null}
        </div>
      </div>
      <div className="list-status">
        <span className="list-count muted">{list.items.length ? t('inbox.count', { count: list.items.length, more: list.nextCursor ? '+' : '' }) : ''}</span>
        <span className="muted kbd-hint">
          <kbd>j</kbd>
          <kbd>k</kbd> {t('inbox.toMove')} · <kbd>?</kbd> {t('inbox.shortcuts')}
        </span>
      </div>
    </aside>
  );
}

interface RowProps {
  c: ConversationItem;
  index: number;
  start: number;
  measure: (el: Element | null) => void;
  selected: boolean;
  unseen: boolean;
  meId: string;
  showStatus: boolean;
  onOpen: (id: string) => void;
}

const ConversationRow = memo(function ConversationRow({ c, index, start, measure, selected, unseen, meId, showStatus, onOpen }: RowProps) {
  const { t } = useTranslation();
  const name = c.contact?.displayName || c.contact?.handle || t('inbox.unknownCustomer');
  const assigneeId = c.assignee?.id ?? c.assigneeId ?? null;
  const mine = assigneeId === meId;
  const assignee = assigneeId ? (mine ? t('inbox.you') : c.assignee?.name || t('inbox.assigned')) : null;
  const classes = ['conv-item', c.flagged && 'flagged', selected && 'selected', unseen && !selected && 'unseen', c.priority === 'urgent' && 'urgent', c.overdue && 'overdue'].filter(Boolean).join(' ');
  return (
    <li
      ref={measure}
      data-index={index}
      data-id={c.id}
      data-priority={c.priority ?? 'normal'}
      className={classes}
      role="option"
      aria-selected={selected}
      tabIndex={selected ? 0 : -1}
      style={{ transform: `translateY(${start}px)` }}
      onClick={() => onOpen(c.id)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onOpen(c.id);
        }
      }}
    >
      <Avatar id={c.contact?.id ?? c.id} name={name} />
      <div className="conv-body">
        <div className="conv-row1">
          <Bidi className="conv-name">{name}</Bidi>
          {c.priority === 'urgent' || c.priority === 'high' ? <span className={`prio-pill prio-${c.priority}`}>{t(`priority.${c.priority}`)}</span> : null}
          {c.flagged ? (
            <span className="flag-mark" title={t('inbox.flaggedMark')}>
              <Icon name="flag" />
            </span>
          ) : null}
          <time className="conv-time" dateTime={c.lastMessageAt} title={fullTime(c.lastMessageAt)}>
            {relativeTime(c.lastMessageAt)}
          </time>
        </div>
        <div className="conv-preview">{c.preview ? <Preview text={c.preview} /> : <span className="muted">{c.intent && c.intent !== 'other' ? t(`intent.${c.intent}`) : ''}</span>}</div>
        <div className="conv-row3">
          <PlatformBadge platform={c.platform} />
          <VisibilityBadge visibility={c.visibility} />
          {c.intent && c.intent !== 'other' && c.preview ? <span className="intent-pill">{t(`intent.${c.intent}`)}</span> : null}
          {showStatus ? <span className={`status-pill status-${c.status}`}>{t(`status.${c.status}`)}</span> : null}
          {assignee ? (
            <span className={`assignee-pill${mine ? ' mine' : ''}`} title={mine ? t('inbox.assignedToYou') : t('inbox.assignedTo', { name: isolate(assignee) })}>
              <Bidi>{assignee}</Bidi>
            </span>
          ) : null}
          <SlaTimer c={c} compact />
        </div>
      </div>
    </li>
  );
});

/** The preview with the guard's placeholders ("[otp removed]") shown as small marks. */
function Preview({ text }: { text: string }) {
  const { t } = useTranslation();
  const out: ReactNode[] = [];
  let at = 0;
  for (const m of text.matchAll(/\[([a-z_]+) removed\]/g)) {
    if (m.index! > at) out.push(text.slice(at, m.index));
    out.push(
      <span key={m.index} className="preview-mask" title={t('finding.removedHint', { type: t(`finding.${m[1]}`, { defaultValue: m[1] }) })}>
        <Icon name="lock" />
        {t(`finding.${m[1]}`, { defaultValue: m[1]!.replaceAll('_', ' ') })}
      </span>,
    );
    at = m.index! + m[0].length;
  }
  out.push(text.slice(at));
  return <Bidi>{out}</Bidi>;
}
