// One open conversation's data: the conversation, its messages, private notes and who else is on it, kept
// current from live events. Notes and presence arrive with their data and are applied as they are; message
// events carry only ids, so the latest messages are re-read (debounced: a burst costs one small request) and
// merged by id, so unchanged messages keep their identity and do not re-render.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { api } from '../api/endpoints.ts';
import type { ConversationItem, Message, Note, PresenceUser } from '../api/types.ts';
import { useLiveEvents } from '../lib/live.ts';

/** Messages fetched first when a conversation opens, and on each live message event (the latest N). */
const FIRST_PAGE = 80;
const LIVE_PAGE = 50;

export interface OpenConversation {
  conversation: ConversationItem | null;
  messages: Message[];
  notes: Note[];
  /** False while the notes endpoint is unavailable. */
  notesAvailable: boolean;
  presence: PresenceUser[];
  loading: boolean;
  error: ApiError | Error | null;
  setConversation: (c: ConversationItem) => void;
  addMessage: (m: Message) => void;
  addNote: (n: Note) => void;
  /** Everyone on the conversation now (from the presence POST's answer); the signed-in agent is left out. */
  setPresence: (users: PresenceUser[]) => void;
  reload: () => void;
}

/**
 * Merges `fresh` (the whole thread or its latest page) into `old` by id: changed and new items replace or join
 * the old ones in time order; unchanged ones keep their identity (so they do not re-render); `old` itself comes
 * back when nothing changed. With `pending` (ids the client added itself and has not yet seen in a fetch), an old
 * item that falls within the fetched span but is missing from it is gone on the server and is dropped: the
 * platform's echo of a reply, filed first and then merged into the reply (src/queues/outbound.ts).
 */
function mergeById<T extends { id: string; createdAt: string }>(old: T[], fresh: T[], pending?: Set<string>): T[] {
  const byId = new Map(old.map((m) => [m.id, m]));
  let changed = false;
  if (pending && fresh.length) {
    const from = fresh.reduce((min, m) => (m.createdAt < min ? m.createdAt : min), fresh[0]!.createdAt);
    const fetched = new Set(fresh.map((m) => m.id));
    for (const m of old) {
      if (m.createdAt > from && !fetched.has(m.id) && !pending.has(m.id)) {
        byId.delete(m.id);
        changed = true;
      }
    }
    for (const id of fetched) pending.delete(id);
  }
  for (const m of fresh) {
    const prev = byId.get(m.id);
    if (!prev || JSON.stringify(prev) !== JSON.stringify(m)) {
      byId.set(m.id, m);
      changed = true;
    }
  }
  return changed ? [...byId.values()].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0)) : old;
}

function upsertSorted<T extends { id: string; createdAt: string }>(list: T[], item: T): T[] {
  const i = list.findIndex((x) => x.id === item.id);
  if (i >= 0) return list.map((x, j) => (j === i ? { ...x, ...item } : x));
  const next = [...list, item];
  return list.length && new Date(list[list.length - 1]!.createdAt) > new Date(item.createdAt) ? next.sort((a, b) => a.createdAt.localeCompare(b.createdAt)) : next;
}

export function useConversation(id: string, meId: string): OpenConversation {
  const [conversation, setConversation] = useState<ConversationItem | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [notes, setNotes] = useState<Note[]>([]);
  const [notesAvailable, setNotesAvailable] = useState(true);
  const [presence, setPresence] = useState<PresenceUser[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const alive = useRef(true);
  /** Messages added from a reply's answer, until a fetch includes them. */
  const added = useRef(new Set<string>());

  const loadMessages = useCallback(
    async (limit?: number) => {
      const page = await api.messages(id, limit);
      if (alive.current) setMessages((old) => mergeById(old, page.items, added.current));
    },
    [id],
  );
  const loadConversation = useCallback(async () => {
    const c = await api.conversation(id);
    if (alive.current) setConversation(c);
  }, [id]);
  const loadNotes = useCallback(async () => {
    try {
      const page = await api.notes(id);
      if (alive.current) setNotes((old) => mergeById(old, page.items));
    } catch (err) {
      // Notes are extra: a server without them (404 on the route) still shows the conversation.
      if (err instanceof ApiError && err.status === 404) setNotesAvailable(false);
    }
  }, [id]);

  // The latest messages first, so a long thread opens at once; then the rest of it in the background.
  const loadAll = useCallback(async () => {
    try {
      await Promise.all([loadConversation(), loadMessages(FIRST_PAGE), loadNotes()]);
      if (alive.current) setError(null);
    } catch (err) {
      if (alive.current) setError(err as Error);
    } finally {
      if (alive.current) setLoading(false);
    }
    if (alive.current) await loadMessages().catch(() => {});
  }, [loadConversation, loadMessages, loadNotes]);

  useEffect(() => {
    alive.current = true;
    void loadAll();
    return () => {
      alive.current = false;
    };
  }, [loadAll]);

  const timers = useRef<{ messages?: ReturnType<typeof setTimeout>; conversation?: ReturnType<typeof setTimeout> }>({});
  const later = useCallback(
    (what: 'messages' | 'conversation') => {
      clearTimeout(timers.current[what]);
      timers.current[what] = setTimeout(() => void (what === 'messages' ? loadMessages(LIVE_PAGE) : loadConversation()).catch(() => {}), 200);
    },
    [loadMessages, loadConversation],
  );
  useEffect(() => () => Object.values(timers.current).forEach((t) => clearTimeout(t)), []);

  useLiveEvents((event) => {
    if (event.type === 'reconnected') {
      void loadAll();
      return;
    }
    if (event.conversationId !== id) return;
    switch (event.type) {
      case 'message.created':
      case 'message.updated':
      case 'guard.action':
        later('messages');
        break;
      case 'conversation.updated':
        later('conversation');
        break;
      case 'note.created':
        setNotes((old) => upsertSorted(old, event.note));
        break;
      case 'presence':
        setPresence(event.users.filter((u) => u.id !== meId));
        break;
    }
  });

  return {
    conversation,
    messages,
    notes,
    notesAvailable,
    presence,
    loading,
    error,
    setConversation: (c) => setConversation((old) => ({ ...old, ...c })),
    addMessage: (m) => {
      added.current.add(m.id);
      setMessages((old) => upsertSorted(old, m));
    },
    addNote: (n) => setNotes((old) => upsertSorted(old, n)),
    setPresence: (users) => setPresence(users.filter((u) => u.id !== meId)),
    reload: () => void loadAll(),
  };
}
