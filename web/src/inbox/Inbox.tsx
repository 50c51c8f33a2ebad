// The inbox page: the conversation list on the left, the open conversation on the right; under 768 px one pane
// at a time (the list, or the conversation with a back button). Keys: j/k move, Enter opens, r reply, n note,
// / search.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ConversationFilters } from '../api/endpoints.ts';
import type { Agent, Me } from '../api/types.ts';
import { Icon, isTyping } from '../components/ui.tsx';
import { navigate } from '../lib/route.ts';
import { ConversationListPane } from './ConversationList.tsx';
import { ConversationView } from './ConversationView.tsx';
import { DemoPanel } from './DemoPanel.tsx';
import { loadFilters, saveFilters } from './filters.ts';
import { useConversationList } from './useConversationList.ts';

export function Inbox({ me, conversationId }: { me: Me; conversationId: string | null }) {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<ConversationFilters>(loadFilters);
  const list = useConversationList(filters, conversationId);
  const [agents, setAgents] = useState<Agent[]>([]);
  const listRef = useRef<HTMLUListElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const scrollToIndexRef = useRef<((i: number) => void) | null>(null);
  const composerRef = useRef<{ focus: (mode: 'reply' | 'note') => void } | null>(null);

  const setFilter = useCallback(<K extends keyof ConversationFilters>(key: K, value: ConversationFilters[K]) => {
    setFilters((f) => {
      if (f[key] === value) return f;
      const next = { ...f, [key]: value };
      saveFilters(next);
      return next;
    });
  }, []);

  useEffect(() => {
    api.agents().then(
      (page) => setAgents(page.items),
      () => setAgents([]),
    );
  }, []);

  useEffect(() => {
    if (conversationId) list.markSeen(conversationId);
  }, [conversationId, list.markSeen]); // eslint-disable-line react-hooks/exhaustive-deps

  const open = useCallback((id: string) => navigate(`#/inbox/${id}`), []);

  const focusSelected = () => requestAnimationFrame(() => listRef.current?.querySelector<HTMLElement>('.conv-item.selected')?.focus());

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target) || isTyping()) return;
      const items = list.items;
      if (e.key === 'j' || e.key === 'k' || e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        if (!items.length) return;
        e.preventDefault();
        const delta = e.key === 'j' || e.key === 'ArrowDown' ? 1 : -1;
        const i = items.findIndex((c) => c.id === conversationId);
        const next = i < 0 ? 0 : Math.min(Math.max(i + delta, 0), items.length - 1);
        if (next === i) return;
        scrollToIndexRef.current?.(next);
        open(items[next]!.id);
        focusSelected();
      } else if (e.key === 'r' && conversationId) {
        e.preventDefault();
        composerRef.current?.focus('reply');
      } else if (e.key === 'n' && conversationId) {
        e.preventDefault();
        composerRef.current?.focus('note');
      } else if (e.key === '/') {
        e.preventDefault();
        searchRef.current?.focus();
      } else if (e.key === 'Escape' && conversationId && window.matchMedia('(max-width: 767px)').matches) {
        navigate('#/inbox');
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [list.items, conversationId, open]);

  return (
    <div className={`inbox${conversationId ? ' has-open' : ''}`}>
      <ConversationListPane me={me} filters={filters} setFilter={setFilter} list={list} selectedId={conversationId} onOpen={open} listRef={listRef} searchRef={searchRef} scrollToIndexRef={scrollToIndexRef} />
      <section className="conv-pane" aria-label={t('inbox.conversation')}>
        {conversationId ? (
          <ConversationView key={conversationId} me={me} id={conversationId} agents={agents} onChanged={list.upsert} composerRef={composerRef} onLeave={focusSelected} />
        ) : (
          <div className="pane-empty">
            <div className="pane-empty-icon">
              <Icon name="mail" />
            </div>
            <h2>{t('inbox.selectTitle')}</h2>
            <p className="muted">
              {t('inbox.selectHint1')} <kbd>j</kbd> {t('inbox.selectHint2')} <kbd>?</kbd> {t('inbox.selectHint3')}
            </p>
            <DemoPanel />
          </div>
        )}
      </section>
    </div>
  );
}
