// The reply box. Replies go to the customer on the conversation's platform; notes stay with the agents.
// - `/keyword` opens the canned responses in the customer's language (switchable); Enter or Tab inserts one.
// - A counter against the platform's limit (lib/limits.ts) before sending.
// - The guard checks the draft (POST /api/guard/check) and says what it found; a draft with a secret support
//   never sends (recovery phrase, key, password, code, card, bank number) cannot be sent, and the API's 422
//   refusal is shown the same way.
// - A conversation whose connector is disabled says replies cannot go out (notes still can).
import { forwardRef, useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import { api } from '../api/endpoints.ts';
import type { CannedResponse, ConversationItem, GuardCheck, Language, Message, Note } from '../api/types.ts';
import { Icon } from '../components/ui.tsx';
import { hasVisibleText } from '../../../src/domain/visible-text.ts';
import { replyLimit } from '../lib/limits.ts';
import { findingLabel } from './MessageView.tsx';

export type ComposerMode = 'reply' | 'note';
export interface ComposerHandle {
  focus: (mode: ComposerMode) => void;
}

interface Props {
  conversation: ConversationItem;
  /** The customer's language, for canned responses. */
  customerLanguage: Language;
  notesAvailable: boolean;
  onSent: (m: Message) => void;
  onNote: (n: Note) => void;
  onTyping: () => void;
  onEscape: () => void;
}

const cannedCache = new Map<Language, Promise<CannedResponse[]>>();
function loadCanned(language: Language): Promise<CannedResponse[]> {
  let p = cannedCache.get(language);
  if (!p) {
    p = api.cannedResponses({ language }).then((page) => page.items);
    p.catch(() => cannedCache.delete(language));
    cannedCache.set(language, p);
  }
  return p;
}

/**
 * The `/keyword` being typed just before the caret, if any. The slash may follow a space, the start, or any
 * character but a Latin letter, digit, ":", "/" or "." (so "您好！/pass" works and "https://x" does not).
 */
function slashToken(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const m = /(^|[^A-Za-z0-9:/.])\/([\p{L}\p{N}_-]*)$/u.exec(before);
  if (!m) return null;
  return { start: caret - m[2]!.length - 1, query: m[2]!.toLowerCase() };
}

const drafts = new Map<string, string>(); // conversation:mode → unsent text (memory only)

/** Forgets unsent drafts (on sign-out: the next person at this browser must not find them). */
export function clearDrafts(): void {
  drafts.clear();
}

export const Composer = forwardRef<ComposerHandle, Props>(function Composer({ conversation, customerLanguage, notesAvailable, onSent, onNote, onTyping, onEscape }, ref) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<ComposerMode>('reply');
  const key = `${conversation.id}:${mode}`;
  const [text, setText] = useState(() => drafts.get(`${conversation.id}:reply`) ?? '');
  const [error, setError] = useState<string | null>(null);
  const [refused, setRefused] = useState<string[] | null>(null);
  const [sending, setSending] = useState(false);
  /** The guard's preview and the draft it was made for: a preview of an older draft blocks nothing. */
  const [checked, setCheck] = useState<{ text: string; result: GuardCheck } | null>(null);
  const check = checked?.text === text ? checked.result : null;
  const [slash, setSlash] = useState<{ start: number; query: string } | null>(null);
  const [cannedLanguage, setCannedLanguage] = useState<Language>(customerLanguage);
  const [canned, setCanned] = useState<CannedResponse[] | null>(null);
  const [cannedError, setCannedError] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const area = useRef<HTMLTextAreaElement>(null);

  useImperativeHandle(ref, () => ({
    focus: (m) => openTab(m),
  }));

  /** Switches to a tab and puts the caret in its box, so typing goes there (not to the page's shortcuts). */
  function openTab(next: ComposerMode) {
    switchMode(next);
    requestAnimationFrame(() => area.current?.focus());
  }

  function switchMode(next: ComposerMode) {
    if (next === mode) return;
    drafts.set(key, text);
    setMode(next);
    setText(drafts.get(`${conversation.id}:${next}`) ?? '');
    setError(null);
    setRefused(null);
    setSlash(null);
  }

  const limit = replyLimit(conversation.platform, conversation.visibility);
  const length = mode === 'reply' ? limit.count(text) : text.length;
  const tooLong = mode === 'reply' && length > limit.max;
  const disabledConnector = conversation.connectorEnabled === false;

  // The guard's preview of the draft, a moment after typing stops.
  useEffect(() => {
    if (mode !== 'reply' || !hasVisibleText(text)) {
      setCheck(null);
      return;
    }
    let stale = false;
    const timer = setTimeout(() => {
      api.guardCheck(conversation.id, text).then(
        (result) => !stale && setCheck({ text, result }),
        () => !stale && setCheck(null),
      );
    }, 350);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [text, mode, conversation.id]);

  useEffect(() => {
    if (!slash) return;
    let stale = false;
    setCannedError(null);
    loadCanned(cannedLanguage).then(
      (items) => !stale && setCanned(items),
      (err) => !stale && (setCanned([]), setCannedError(errorMessage(err))),
    );
    return () => {
      stale = true;
    };
  }, [slash !== null, cannedLanguage]); // eslint-disable-line react-hooks/exhaustive-deps

  const matches = useMemo(() => {
    if (!slash || !canned) return [];
    const q = slash.query;
    const starts = canned.filter((c) => c.shortcut.toLowerCase().startsWith(q));
    const contains = canned.filter((c) => !starts.includes(c) && (c.shortcut.toLowerCase().includes(q) || c.title.toLowerCase().includes(q)));
    return [...starts, ...contains].slice(0, 8);
  }, [slash, canned]);
  useEffect(() => setActive(0), [slash?.query, cannedLanguage]);

  const update = useCallback(
    (value: string, caret: number) => {
      setText(value);
      drafts.set(key, value);
      setError(null);
      setRefused(null);
      setSlash(slashToken(value, caret));
      if (mode === 'reply' && value) onTyping();
    },
    [key, mode, onTyping],
  );

  function insert(c: CannedResponse) {
    if (!slash) return;
    const caret = area.current?.selectionStart ?? text.length;
    const value = text.slice(0, slash.start) + c.text + text.slice(caret);
    const at = slash.start + c.text.length;
    setText(value);
    drafts.set(key, value);
    setSlash(null);
    requestAnimationFrame(() => {
      area.current?.focus();
      area.current?.setSelectionRange(at, at);
    });
  }

  const blocked = mode === 'reply' ? (check?.blocked ?? []) : [];

  async function send() {
    if (sending) return;
    if (!hasVisibleText(text)) {
      setError(t('composer.empty'));
      return;
    }
    if (mode === 'reply') {
      if (disabledConnector) {
        setError(t('composer.connectorDisabled'));
        return;
      }
      if (tooLong) {
        setError(t('composer.tooLong', { max: limit.max }));
        return;
      }
      if (blocked.length) {
        setRefused(blocked);
        return;
      }
    }
    setSending(true);
    setError(null);
    try {
      if (mode === 'reply') onSent(await api.reply(conversation.id, text));
      else onNote(await api.addNote(conversation.id, text));
      drafts.delete(key);
      setText('');
      setCheck(null);
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && err.code === 'secret_in_reply') {
        const types = Array.isArray(err.fields.types) ? (err.fields.types as string[]) : [];
        setRefused(types.length ? types : ['secret']);
        setError(errorMessage(err));
      } else setError(errorMessage(err));
    } finally {
      setSending(false);
    }
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (slash && matches.length) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        if (!(e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          insert(matches[active]!);
          return;
        }
      }
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      if (slash) setSlash(null);
      else {
        area.current?.blur();
        onEscape();
      }
      return;
    }
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void send();
    }
  }

  const where = t(`platform.${conversation.platform}`);
  const visibleFindings = mode === 'reply' ? (check?.findings ?? []).filter((f) => !blocked.includes(f.type)) : [];
  const listId = `canned-${conversation.id}`;
  const mac = navigator.platform.startsWith('Mac');

  return (
    <form
      className={`composer composer-${mode}`}
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <div className="composer-tabs" role="tablist" aria-label={t('composer.mode')}>
        <button type="button" role="tab" aria-selected={mode === 'reply'} className={`ctab${mode === 'reply' ? ' active' : ''}`} onClick={() => openTab('reply')}>
          {t('composer.reply')}
        </button>
        {notesAvailable ? (
          <button type="button" role="tab" aria-selected={mode === 'note'} className={`ctab ctab-note${mode === 'note' ? ' active' : ''}`} onClick={() => openTab('note')} id="note-tab">
            <Icon name="note" />
            {t('composer.note')}
          </button>
        ) : null}
      </div>
      {mode === 'reply' && disabledConnector ? (
        <div className="composer-banner" role="note">
          <Icon name="alert" />
          {t('composer.connectorDisabled')}
        </div>
      ) : null}
      <div className="composer-field">
        <textarea
          ref={area}
          className="reply-input"
          id={mode === 'reply' ? 'reply-text' : 'note-text'}
          rows={3}
          dir="auto"
          placeholder={mode === 'reply' ? t('composer.replyPlaceholder') : t('composer.notePlaceholder')}
          aria-label={mode === 'reply' ? t('composer.replyLabel') : t('composer.noteLabel')}
          aria-describedby={`${listId}-count`}
          aria-autocomplete="list"
          aria-controls={slash ? listId : undefined}
          aria-activedescendant={slash && matches.length ? `${listId}-${active}` : undefined}
          value={text}
          onChange={(e) => update(e.target.value, e.target.selectionStart)}
          onKeyDown={onKeyDown}
          onBlur={() => setTimeout(() => setSlash(null), 150)}
        />
        {slash ? (
          <div className="canned-pop" role="dialog" aria-label={t('canned.title')}>
            <div className="canned-head">
              <span>{t('canned.title')}</span>
              <span className="canned-langs" role="group" aria-label={t('canned.language')}>
                {(['zh', 'en'] as const).map((l) => (
                  <button key={l} type="button" className={`chip-btn${cannedLanguage === l ? ' active' : ''}`} aria-pressed={cannedLanguage === l} onMouseDown={(e) => e.preventDefault()} onClick={() => setCannedLanguage(l)}>
                    {t(`language.${l}`)}
                  </button>
                ))}
              </span>
            </div>
            {cannedError ? <div className="canned-empty">{cannedError}</div> : null}
            {canned === null ? (
              <div className="canned-empty muted">{t('common.loading')}</div>
            ) : matches.length ? (
              <ul className="canned-list" role="listbox" id={listId} aria-label={t('canned.title')}>
                {matches.map((c, i) => (
                  <li
                    key={c.id}
                    id={`${listId}-${i}`}
                    role="option"
                    aria-selected={i === active}
                    className={`canned-item${i === active ? ' active' : ''}`}
                    data-shortcut={c.shortcut}
                    data-language={c.language}
                    onMouseDown={(e) => e.preventDefault()}
                    onClick={() => insert(c)}
                  >
                    <span className="canned-shortcut">/{c.shortcut}</span>
                    <span className="canned-title">{c.title}</span>
                    <span className="canned-text muted">{c.text}</span>
                  </li>
                ))}
              </ul>
            ) : cannedError ? null : (
              <div className="canned-empty muted">{t('canned.none')}</div>
            )}
          </div>
        ) : null}
      </div>
      {refused?.length ? (
        <div className="reply-refused" role="alert">
          <Icon name="shield" />
          <span>{t('composer.refused', { types: refused.map((x) => findingLabel(x, t)).join(t('common.listSep')) })}</span>
        </div>
      ) : blocked.length ? (
        <div className="guard-preview guard-preview-block" role="status">
          <Icon name="shield" />
          <span>{t('composer.wouldRefuse', { types: blocked.map((x) => findingLabel(x, t)).join(t('common.listSep')) })}</span>
        </div>
      ) : visibleFindings.length ? (
        <div className="guard-preview" role="status">
          <Icon name="shield" />
          <span>{t('composer.contains', { types: [...new Set(visibleFindings.map((f) => findingLabel(f.type, t)))].join(t('common.listSep')) })}</span>
        </div>
      ) : null}
      {error && !(refused?.length && error) ? (
        <div className="reply-error" role="alert">
          {error}
        </div>
      ) : null}
      <div className="composer-foot">
        <span className="reply-note">
          {mode === 'note' ? (
            <>
              <span className="vis vis-note">{t('composer.note')}</span> {t('composer.noteHint')}
            </>
          ) : conversation.visibility === 'public' ? (
            <>
              <span className="vis vis-public">{t('vis.public')}</span> {t(`composer.publicHint_${conversation.platform}`)}
            </>
          ) : (
            <>
              <span className="vis vis-private">{t('vis.private')}</span> {t('composer.privateHint', { where })}
            </>
          )}
        </span>
        {mode === 'reply' ? (
          <span id={`${listId}-count`} className={`char-count${tooLong ? ' over' : length > limit.max * 0.9 ? ' near' : ''}`} title={t('composer.limitHint', { where, max: limit.max })}>
            {length.toLocaleString()} / {limit.max.toLocaleString()}
          </span>
        ) : (
          <span id={`${listId}-count`} className="sr-only" />
        )}
        <span className="composer-keys muted">
          <kbd>{mac ? '⌘' : 'Ctrl'}</kbd>
          <kbd>Enter</kbd> {t('composer.toSend')}
        </span>
        <button className="btn btn-primary" type="submit" disabled={sending || (mode === 'reply' && (disabledConnector || tooLong || blocked.length > 0))} title={t('composer.sendHint')}>
          {sending ? t('composer.sending') : mode === 'reply' ? t('composer.send') : t('composer.addNote')}
        </button>
      </div>
    </form>
  );
});
