// The open conversation: who and where (with priority, intent, the first-response timer, assignment and
// status), who else is on it, the timeline (messages, the guard's advice and warnings, private notes), the
// composer, and the contact panel. Presence: a heartbeat every 10 s while open ("viewing"), "typing" while the
// agent types a reply, "left" on close.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ConversationPatch } from '../api/endpoints.ts';
import type { Agent, ConversationItem, Intent, Language, Me, Message, Note, Priority, Status } from '../api/types.ts';
import { toast } from '../components/toasts.tsx';
import { Avatar, Bidi, Icon, isolate, nameSlot, withName, PlatformBadge, VisibilityBadge } from '../components/ui.tsx';
import { dayLabel, fullTime, relativeTime } from '../lib/format.ts';
import { navigate } from '../lib/route.ts';
import { Composer, type ComposerHandle } from './Composer.tsx';
import { ContactPanel } from './ContactPanel.tsx';
import { MessageView, NoteView, isGuardMessage } from './MessageView.tsx';
import { SlaTimer } from './SlaTimer.tsx';
import { useConversation } from './useConversation.ts';
import { errorMessage } from '../api/errors.ts';

const PRIORITIES: Priority[] = ['urgent', 'high', 'normal', 'low'];
const INTENTS: Intent[] = ['account_compromised', 'forgot_password', 'payment_failed', 'security_question', 'other'];
const STATUSES: Status[] = ['open', 'pending', 'resolved'];
/** Long threads render their latest messages first; older ones when the agent scrolls up (or asks). */
const WINDOW = 60;
const HEARTBEAT_MS = 10_000;

interface Props {
  me: Me;
  id: string;
  agents: Agent[];
  onChanged: (c: ConversationItem) => void;
  composerRef: RefObject<ComposerHandle | null>;
  onLeave: () => void;
}

/** The customer's language: what the API detected, else a guess from their latest message, else English. */
function customerLanguage(c: ConversationItem | null, messages: Message[]): Language {
  if (c?.language) return c.language;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.direction === 'inbound' && m.text) return /[\u3400-\u9fff]/.test(m.text) ? 'zh' : 'en';
  }
  return /[\u3400-\u9fff]/.test(c?.contact?.displayName ?? '') ? 'zh' : 'en';
}

export function ConversationView({ me, id, agents, onChanged, composerRef, onLeave }: Props) {
  const { t } = useTranslation();
  const open = useConversation(id, me.id);
  const { conversation: c, messages, notes } = open;
  const [shown, setShown] = useState(WINDOW);
  const [busy, setBusy] = useState(false);
  const [contactOpen, setContactOpen] = useState(() => window.matchMedia('(min-width: 1280px)').matches);
  const timeline = useRef<HTMLDivElement>(null);
  const stick = useRef(true);

  // Presence: viewing now and every 10 s, typing (at most every 3 s), left on close.
  const setPresence = useRef(open.setPresence);
  setPresence.current = open.setPresence;
  const presenceOk = useRef(true);
  const lastTyping = useRef(0);
  useEffect(() => {
    presenceOk.current = true;
    const beat = () =>
      presenceOk.current &&
      api.presence(id, 'viewing').then(
        (p) => setPresence.current(p.users),
        () => (presenceOk.current = false),
      );
    beat();
    const timer = setInterval(beat, HEARTBEAT_MS);
    return () => {
      clearInterval(timer);
      if (presenceOk.current) api.presence(id, 'left').catch(() => {});
    };
  }, [id]);
  const onTyping = useCallback(() => {
    if (!presenceOk.current || Date.now() - lastTyping.current < 3000) return;
    lastTyping.current = Date.now();
    api.presence(id, 'typing').catch(() => {});
  }, [id]);

  // The timeline: messages and notes in time order, the latest WINDOW of them.
  const entries = useMemo(() => {
    const all: Array<{ kind: 'm'; m: Message } | { kind: 'n'; n: Note }> = [...messages.map((m) => ({ kind: 'm' as const, m })), ...notes.map((n) => ({ kind: 'n' as const, n }))];
    if (notes.length) all.sort((a, b) => (a.kind === 'm' ? a.m.createdAt : a.n.createdAt).localeCompare(b.kind === 'm' ? b.m.createdAt : b.n.createdAt));
    return all;
  }, [messages, notes]);
  const hidden = Math.max(0, entries.length - shown);

  // Earlier messages come in above what the agent reads: keep it where it was.
  const fromBottom = useRef<number | null>(null);
  const showEarlier = () => {
    const el = timeline.current;
    if (el) fromBottom.current = el.scrollHeight - el.scrollTop;
    stick.current = false;
    setShown((n) => n + WINDOW * 3);
  };
  useLayoutEffect(() => {
    const el = timeline.current;
    if (!el) return;
    if (fromBottom.current !== null) {
      el.scrollTop = el.scrollHeight - fromBottom.current;
      fromBottom.current = null;
    } else if (stick.current) el.scrollTop = el.scrollHeight;
  }, [entries, shown, c !== null]); // eslint-disable-line react-hooks/exhaustive-deps

  async function patch(change: ConversationPatch, done: string) {
    setBusy(true);
    try {
      const updated = await api.updateConversation(id, change);
      const merged: ConversationItem = { ...c!, ...updated };
      if (!('assignee' in updated) && 'assigneeId' in change) {
        const a = change.assigneeId ? (agents.find((x) => x.id === change.assigneeId) ?? (change.assigneeId === me.id ? { id: me.id, name: me.name } : null)) : null;
        merged.assignee = a ? { id: a.id, name: a.name } : null;
      }
      open.setConversation(merged);
      onChanged(merged);
      toast(done, 'ok');
    } catch (err) {
      toast(errorMessage(err), 'error');
    } finally {
      setBusy(false);
    }
  }

  if (open.error && !c) {
    return (
      <div className="pane-empty">
        <h2>{'status' in open.error && open.error.status === 404 ? t('conversation.notFound') : t('conversation.loadFailed')}</h2>
        <p className="muted">{errorMessage(open.error)}</p>
        <button className="btn" type="button" onClick={open.reload}>
          {t('common.retry')}
        </button>
      </div>
    );
  }

  const name = c ? c.contact?.displayName || c.contact?.handle || t('inbox.unknownCustomer') : '';
  const assigneeId = c?.assignee?.id ?? c?.assigneeId ?? null;
  const mine = assigneeId === me.id;
  const assigneeName = assigneeId ? (mine ? t('conversation.you') : c?.assignee?.name || agents.find((a) => a.id === assigneeId)?.name || t('conversation.someone')) : null;
  const language = customerLanguage(c, messages);

  let lastDay = '';
  let previous: Message | null = null;

  return (
    <div className={`conv-layout${contactOpen ? ' with-contact' : ''}`}>
      <div className="conv-main">
        <header className="conv-header">
          {c ? (
            <>
              <div className="conv-who">
                <button className="btn btn-ghost btn-sm back-btn" type="button" onClick={() => navigate('#/inbox')} aria-label={t('conversation.back')}>
                  <Icon name="back" />
                </button>
                <Avatar id={c.contact?.id ?? c.id} name={name} size="lg" />
                <div className="conv-who-text">
                  <h2 className="conv-title">
                    <Bidi>{name}</Bidi>
                    {c.flagged ? (
                      <span className="flag-badge" title={t('conversation.flaggedHint')}>
                        <Icon name="flag" />
                        {t('conversation.flagged')}
                      </span>
                    ) : null}
                  </h2>
                  <div className="conv-sub">
                    {c.contact?.handle ? (
                      <span className="conv-handle">
                        @<Bidi>{c.contact.handle.replace(/^@/, '')}</Bidi>
                      </span>
                    ) : null}
                    <span className="conv-via" title={t('conversation.via', { platform: t(`platform.${c.platform}`), connector: c.connectorName ?? '' })}>
                      <PlatformBadge platform={c.platform} />
                      {c.connectorName ?? t(`platform.${c.platform}`)}
                    </span>
                    <VisibilityBadge visibility={c.visibility} />
                    <span className="muted" title={fullTime(c.lastMessageAt)}>
                      {t('conversation.lastMessage', { time: relativeTime(c.lastMessageAt) })}
                    </span>
                    <SlaTimer c={c} />
                  </div>
                </div>
                <button className={`btn btn-sm btn-ghost contact-toggle${contactOpen ? ' active' : ''}`} type="button" aria-expanded={contactOpen} onClick={() => setContactOpen((o) => !o)}>
                  <Icon name="user" />
                  <span>{t('contact.title')}</span>
                </button>
              </div>
              <div className="conv-actions">
                <label className="inline-field">
                  <span>{t('conversation.priority')}</span>
                  <select className={`select-sm prio-select prio-${c.priority ?? 'normal'}`} id="conv-priority" value={c.priority ?? 'normal'} disabled={busy} onChange={(e) => patch({ priority: e.target.value as Priority }, t('conversation.priorityChanged', { priority: t(`priority.${e.target.value}`) }))}>
                    {PRIORITIES.map((p) => (
                      <option key={p} value={p}>
                        {t(`priority.${p}`)}
                      </option>
                    ))}
                  </select>
                </label>
                <label className="inline-field">
                  <span>{t('conversation.intent')}</span>
                  <select className="select-sm" id="conv-intent" value={c.intent ?? 'other'} disabled={busy} onChange={(e) => patch({ intent: e.target.value as Intent }, t('conversation.intentChanged', { intent: t(`intent.${e.target.value}`) }))}>
                    {INTENTS.map((p) => (
                      <option key={p} value={p}>
                        {t(`intent.${p}`)}
                      </option>
                    ))}
                  </select>
                </label>
                <div className="assign">
                  <span className="assign-label muted">
                    {assigneeName ? (
                      <>
                        {t('conversation.assignedTo')}{' '}
                        <strong>
                          <Bidi>{assigneeName}</Bidi>
                        </strong>
                      </>
                    ) : (
                      t('conversation.unassigned')
                    )}
                  </span>
                  {mine ? null : (
                    <button className="btn btn-sm" type="button" id="assign-me" disabled={busy} onClick={() => patch({ assigneeId: me.id }, t('conversation.assignedToYou'))}>
                      {t('conversation.assignMe')}
                    </button>
                  )}
                  <select
                    className="select-sm"
                    id="conv-assignee"
                    aria-label={t('conversation.assignTo')}
                    value={assigneeId ?? ''}
                    disabled={busy}
                    onChange={(e) => {
                      const to = e.target.value || null;
                      const who = to ? (to === me.id ? t('conversation.you') : agents.find((a) => a.id === to)?.name || '') : '';
                      void patch({ assigneeId: to }, to ? t('conversation.assignedToName', { name: isolate(who) }) : t('conversation.unassignedDone'));
                    }}
                  >
                    <option value="">{t('conversation.nobody')}</option>
                    {(agents.some((a) => a.id === me.id) ? agents : [{ id: me.id, name: me.name, role: me.role }, ...agents]).map((a) => (
                      <option key={a.id} value={a.id}>
                        {a.id === me.id ? t('conversation.meOption', { name: isolate(a.name || me.email) }) : isolate(a.name)}
                      </option>
                    ))}
                    {assigneeId && !agents.some((a) => a.id === assigneeId) && assigneeId !== me.id ? <option value={assigneeId}>{isolate(assigneeName ?? '')}</option> : null}
                  </select>
                </div>
                <div className="segmented" role="group" aria-label={t('conversation.status')}>
                  {STATUSES.map((s) => (
                    <button key={s} type="button" className={`seg seg-${s}${c.status === s ? ' active' : ''}`} aria-pressed={c.status === s} data-status={s} disabled={busy} onClick={() => c.status !== s && patch({ status: s }, t('conversation.statusChanged', { status: t(`status.${s}`) }))}>
                      {t(`status.${s}`)}
                    </button>
                  ))}
                </div>
              </div>
            </>
          ) : (
            <div className="sk-line w40" />
          )}
        </header>
        {open.presence.length ? (
          <div className="presence" role="status" aria-live="polite">
            <Icon name="eye" />
            {open.presence.map((u, i) => (
              <span key={u.id} className={`presence-user${u.typing ? ' typing' : ''}`} data-user={u.id}>
                {i ? t('common.listSep') : ''}
                {withName(t(u.typing ? 'presence.typing' : 'presence.viewing', { name: nameSlot }), u.name || '?')}
              </span>
            ))}
          </div>
        ) : null}
        <div
          className="timeline"
          ref={timeline}
          aria-live="polite"
          tabIndex={0}
          aria-label={t('conversation.timeline')}
          onScroll={(e) => {
            const el = e.currentTarget;
            stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
            if (el.scrollTop < 40 && hidden > 0 && fromBottom.current === null) showEarlier();
          }}
        >
          {open.loading && !c ? <div className="timeline-loading muted">{t('conversation.loading')}</div> : null}
          {hidden ? (
            <div className="timeline-more">
              <button className="btn btn-sm btn-ghost" type="button" onClick={showEarlier}>
                {t('conversation.showEarlier', { count: hidden })}
              </button>
            </div>
          ) : null}
          {c
            ? entries.slice(hidden).map((e) => {
                const at = e.kind === 'm' ? e.m.createdAt : e.n.createdAt;
                const day = dayLabel(at);
                const sep =
                  day !== lastDay ? (
                    <div className="day-sep" key={`d-${at}`}>
                      <span>{day}</span>
                    </div>
                  ) : null;
                if (sep) {
                  lastDay = day;
                  previous = null;
                }
                if (e.kind === 'n') {
                  previous = null;
                  return [sep, <NoteView key={`n-${e.n.id}`} n={e.n} meId={me.id} t={t} />];
                }
                const m = e.m;
                const p: Message | null = previous;
                // Consecutive messages from the same person within a few minutes share one header.
                const continued =
                  p !== null &&
                  p.direction === m.direction &&
                  isGuardMessage(p) === isGuardMessage(m) &&
                  (p.author?.id ?? p.author?.name) === (m.author?.id ?? m.author?.name) &&
                  new Date(m.createdAt).getTime() - new Date(p.createdAt).getTime() < 5 * 60_000 &&
                  !p.guardActions?.length &&
                  !m.editedAt &&
                  !m.deletedAt; // its header says "edited" / "deleted"
                previous = m;
                return [sep, <MessageView key={m.id} m={m} conversation={c} meId={me.id} continued={continued} t={t} />];
              })
            : null}
          {c && !entries.length && !open.loading ? <div className="timeline-loading muted">{t('conversation.noMessages')}</div> : null}
        </div>
        {c ? (
          <Composer
            ref={composerRef}
            conversation={c}
            customerLanguage={language}
            notesAvailable={open.notesAvailable}
            onSent={(m) => {
              stick.current = true;
              open.addMessage(m);
            }}
            onNote={(n) => {
              stick.current = true;
              open.addNote(n);
            }}
            onTyping={onTyping}
            onEscape={onLeave}
          />
        ) : null}
      </div>
      {contactOpen && c?.contact ? <ContactPanel contactId={c.contact.id} currentId={c.id} onClose={() => setContactOpen(false)} /> : null}
    </div>
  );
}
