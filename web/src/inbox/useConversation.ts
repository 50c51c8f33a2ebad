// One open conversation's data: the conversation, its messages, private notes and who else is on it, kept
// current from live events. Notes and presence arrive with their data and are applied as they are; message
// events carry only ids, so the thread is re-read (debounced: a burst costs one request) and merged by id, so
// unchanged messages keep their identity and do not re-render.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { api } from '../api/endpoints.ts';
import type { ConversationItem, Message, Note, PresenceUser } from '../api/types.ts';
import { useLiveEvents } from '../lib/live.ts';

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

/** Merges `fresh` into `old` by id, reusing old objects whose content did not change. */
function mergeById<T extends { id: string }>(old: T[], fresh: T[]): T[] {
  const byId = new Map(old.map((m) => [m.id, m]));
  let same = old.length === fresh.length;
  const out = fresh.map((m, i) => {
    const prev = byId.get(m.id);
    const keep = prev && JSON.stringify(prev) === JSON.stringify(m) ? prev : m;
    if (keep !== old[i]) same = false;
    return keep;
  });
  return same ? old : out;
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

  const loadMessages = useCallback(async () => {
    const page = await api.messages(id);
    if (alive.current) setMessages((old) => mergeById(old, page.items));
  }, [id]);
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

  const loadAll = useCallback(async () => {
    try {
      await Promise.all([loadConversation(), loadMessages(), loadNotes()]);
      if (alive.current) setError(null);
    } catch (err) {
      if (alive.current) setError(err as Error);
    } finally {
      if (alive.current) setLoading(false);
    }
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
      timers.current[what] = setTimeout(() => void (what === 'messages' ? loadMessages() : loadConversation()).catch(() => {}), 200);
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
    addMessage: (m) => setMessages((old) => upsertSorted(old, m)),
    addNote: (n) => setNotes((old) => upsertSorted(old, n)),
    setPresence: (users) => setPresence(users.filter((u) => u.id !== meId)),
    reload: () => void loadAll(),
  };
}
