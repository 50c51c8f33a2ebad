// The conversation list's data: the first page for the current filters, "load more" pages, and live updates in
// place. A `conversation.updated` event re-reads that one conversation (GET /api/conversations/:id) and moves
// it to its sorted place, or drops it when it no longer matches; a burst of many events in one tick refreshes
// the first page instead of making one request per conversation.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import { api, type ConversationFilters } from '../api/endpoints.ts';
import type { ConversationItem } from '../api/types.ts';
import { useLiveEvents } from '../lib/live.ts';
import { takePrefetchedPage } from './filters.ts';
import { byListOrder, matchesFilters } from './listOrder.ts';

const BURST = 25;

export interface ConversationList {
  items: ConversationItem[];
  nextCursor: string | null;
  loading: boolean;
  error: string | null;
  /** Conversations with messages the agent has not opened since. */
  unseen: ReadonlySet<string>;
  loadMore: () => void;
  reload: () => void;
  /** Puts a conversation the view already holds (after a PATCH, say) in place. */
  upsert: (c: ConversationItem) => void;
  markSeen: (id: string) => void;
}

export function useConversationList(filters: ConversationFilters, selectedId: string | null): ConversationList {
  const [items, setItems] = useState<ConversationItem[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [unseen, setUnseen] = useState<Set<string>>(() => new Set());
  const token = useRef(0);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const selectedRef = useRef(selectedId);
  selectedRef.current = selectedId;
  const cursorRef = useRef<string | null>(null);
  cursorRef.current = nextCursor;

  const loadFirst = useCallback(async (reset: boolean) => {
    const mine = ++token.current;
    if (reset) {
      setItems([]);
      setNextCursor(null);
      setLoading(true);
    }
    try {
      const page = await ((reset && takePrefetchedPage(filtersRef.current)) || api.conversations(filtersRef.current));
      if (mine !== token.current) return;
      setError(null);
      setItems((old) => {
        if (reset || !old.length) return page.items;
        // A refresh: the first page is fresh; keep what "load more" brought in beyond it.
        const fresh = new Set(page.items.map((c) => c.id));
        const rest = page.nextCursor ? old.filter((c) => !fresh.has(c.id) && matchesFilters(c, filtersRef.current)) : [];
        return [...page.items, ...rest].sort(byListOrder);
      });
      setNextCursor((old) => (reset || !old || !page.nextCursor ? (page.nextCursor ?? null) : old));
    } catch (err) {
      if (mine === token.current) setError(errorMessage(err));
    } finally {
      if (mine === token.current) setLoading(false);
    }
  }, []);

  const filterKey = JSON.stringify(filters);
  useEffect(() => {
    void loadFirst(true);
  }, [filterKey, loadFirst]);

  const loadMore = useCallback(async () => {
    const cursor = cursorRef.current;
    if (!cursor) return;
    const mine = token.current;
    setLoading(true);
    try {
      const page = await api.conversations(filtersRef.current, cursor);
      if (mine !== token.current) return;
      setItems((old) => {
        const known = new Set(old.map((c) => c.id));
        return [...old, ...page.items.filter((c) => !known.has(c.id))];
      });
      setNextCursor(page.nextCursor ?? null);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      if (mine === token.current) setLoading(false);
    }
  }, []);

  const upsert = useCallback((c: ConversationItem) => {
    setItems((old) => {
      const i = old.findIndex((x) => x.id === c.id);
      const merged = i >= 0 ? { ...old[i]!, ...c } : c;
      if (!matchesFilters(merged, filtersRef.current)) return i >= 0 ? old.filter((x) => x.id !== c.id) : old;
      if (i < 0 && filtersRef.current.q) return old; // whether it matches the search is the server's call
      const without = i >= 0 ? old.filter((x) => x.id !== c.id) : old;
      // Beyond the loaded pages? Then it will arrive with "load more" in its place.
      const last = without[without.length - 1];
      if (i < 0 && cursorRef.current && last && byListOrder(merged, last) > 0) return old;
      const at = without.findIndex((x) => byListOrder(merged, x) < 0);
      return at < 0 ? [...without, merged] : [...without.slice(0, at), merged, ...without.slice(at)];
    });
  }, []);

  // Live updates, coalesced per tick.
  const pending = useRef(new Set<string>());
  const flushTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const flush = useCallback(async () => {
    const ids = [...pending.current];
    pending.current.clear();
    if (ids.length > BURST) return loadFirst(false);
    await Promise.all(
      ids.map(async (id) => {
        try {
          upsert(await api.conversation(id));
        } catch (err) {
          if (err instanceof ApiError && err.status === 404) setItems((old) => old.filter((c) => c.id !== id));
        }
      }),
    );
  }, [loadFirst, upsert]);

  useLiveEvents((event) => {
    if (event.type === 'reconnected') {
      void loadFirst(false);
      return;
    }
    if (event.type === 'message.created' && event.conversationId !== selectedRef.current) {
      setUnseen((s) => (s.has(event.conversationId) ? s : new Set(s).add(event.conversationId)));
    }
    if (event.type === 'conversation.updated' || event.type === 'message.created' || event.type === 'guard.action') {
      pending.current.add(event.conversationId);
      clearTimeout(flushTimer.current);
      flushTimer.current = setTimeout(() => void flush(), 150);
    }
  });
  useEffect(() => () => clearTimeout(flushTimer.current), []);

  const markSeen = useCallback((id: string) => {
    setUnseen((s) => {
      if (!s.has(id)) return s;
      const n = new Set(s);
      n.delete(id);
      return n;
    });
  }, []);

  return { items, nextCursor, loading, error, unseen, loadMore: () => void loadMore(), reload: () => void loadFirst(true), upsert, markSeen };
}
