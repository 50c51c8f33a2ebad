// One message in the timeline: its (masked) text with the guard's findings marked, what the guard did on the
// platform, and for our replies whether they went out. Customer text and names are bidi-isolated.
import { memo, type ReactNode } from 'react';
import type { TFunction } from 'i18next';
import type { ConversationItem, Finding, GuardAction, Message, Note, Platform } from '../api/types.ts';
import { Avatar, Bidi, Icon, isolate } from '../components/ui.tsx';
import { clockTime, fullTime } from '../lib/format.ts';
import { quotesPlatform } from '../api/errors.ts';
import { i18n } from '../i18n/index.ts';
import { describeGuardAction } from './guard-action-text.ts';

/**
 * The text split into plain runs and finding marks. Offsets are UTF-16 indices, end exclusive; findings out of
 * range or overlapping an earlier one are ignored rather than garbling the text.
 */
export function renderText(text: string, findings: Finding[] | undefined, t: TFunction): ReactNode[] {
  const out: ReactNode[] = [];
  let at = 0;
  const sorted = [...(findings ?? [])].filter((f) => Number.isInteger(f.start) && Number.isInteger(f.end)).sort((a, b) => a.start - b.start);
  for (const f of sorted) {
    if (f.start < at || f.end <= f.start || f.end > text.length) continue;
    if (f.start > at) out.push(text.slice(at, f.start));
    out.push(<FindingMark key={f.start} span={text.slice(f.start, f.end)} f={f} t={t} />);
    at = f.end;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

export const findingLabel = (type: string, t: TFunction) => t(`finding.${type}`, { defaultValue: type.replaceAll('_', ' ') });

function FindingMark({ span, f, t }: { span: string; f: Finding; t: TFunction }) {
  const label = findingLabel(f.type, t);
  if (f.masked !== false) {
    // The stored text holds a placeholder such as "[payment_card removed]": show it as a readable chip.
    const isPlaceholder = span === `[${f.type} removed]`;
    return (
      <mark className="finding finding-masked" data-type={f.type} title={t('finding.maskedHint', { type: label })}>
        <Icon name="lock" className="finding-icon" />
        <span className="finding-text">{isPlaceholder ? t('finding.removed', { type: label }) : span}</span>
      </mark>
    );
  }
  return (
    <mark className="finding finding-visible" data-type={f.type} title={t('finding.visibleHint', { type: label })}>
      <span className="finding-text">{span}</span>
      <span className="finding-tag">{label}</span>
    </mark>
  );
}

const TONE_ICON: Record<string, string> = { ok: 'check', pending: 'clock', warn: 'alert', bad: 'x', muted: 'minus' };

function GuardActions({ actions, platform, t }: { actions: GuardAction[] | undefined; platform: Platform; t: TFunction }) {
  if (!actions?.length) return null;
  const order: Record<string, number> = { remove: 0, dm: 1, warn: 2 };
  const sorted = [...actions].sort((a, b) => (order[a.kind] ?? 9) - (order[b.kind] ?? 9));
  return (
    <ul className="guard-actions" aria-label={t('guardAction.label')}>
      {sorted.map((a, i) => {
        const [text, tone] = describeGuardAction(a, platform, t);
        return (
          <li key={i} className={`guard-action tone-${tone}`} data-kind={a.kind} data-status={a.status} title={a.at ? fullTime(a.at) : undefined}>
            <Icon name={TONE_ICON[tone] ?? 'minus'} className="ga-icon" />
            <span className="ga-text">{text}</span>
          </li>
        );
      })}
    </ul>
  );
}

function FindingsNote({ findings, t }: { findings: Finding[] | undefined; t: TFunction }) {
  if (!findings?.length) return null;
  const masked = [...new Set(findings.filter((f) => f.masked !== false).map((f) => findingLabel(f.type, t)))];
  const visible = [...new Set(findings.filter((f) => f.masked === false).map((f) => findingLabel(f.type, t)))];
  return (
    <div className="guard-note">
      <Icon name="shield" className="shield" />
      {masked.length ? (
        <span>
          {t('finding.guardMasked')}{' '}
          {masked.map((l) => (
            <span key={l} className="chip chip-finding">
              {l}
            </span>
          ))}
        </span>
      ) : null}
      {masked.length && visible.length ? <span className="sep"> · </span> : null}
      {visible.length ? (
        <span>
          {t('finding.detected')}{' '}
          {visible.map((l) => (
            <span key={l} className="chip chip-visible">
              {l}
            </span>
          ))}{' '}
          {t('finding.leftVisible')}
        </span>
      ) : null}
    </div>
  );
}


/**
 * Why a reply failed, in the interface language (by `delivery.errorCode`), with the connector's English details
 * after it, which quote the platform ("bot was blocked by the user"); the English sentence alone for a code this
 * app does not know.
 */
function DeliveryError({ code, error, t }: { code?: string; error?: string; t: TFunction }) {
  const known = code !== undefined && i18n.exists(`delivery.errors.${code}`);
  if (!known) return error ? <span className="delivery-error">{error}</span> : null;
  return (
    <span className="delivery-error">
      {t(`delivery.errors.${code}`)}
      {error && quotesPlatform(code) ? <span className="delivery-platform"> {t('delivery.detailText', { text: error })}</span> : null}
    </span>
  );
}

function Delivery({ message, t }: { message: Message; t: TFunction }) {
  const d = message.delivery;
  if (d?.status === 'sent')
    return (
      <span className="delivery delivery-sent" title={d.externalId ? t('delivery.sentHintId', { id: d.externalId }) : t('delivery.sentHint')}>
        <Icon name="check" />
        {t('delivery.sent')}
      </span>
    );
  if (d?.status === 'failed')
    return (
      <span className="delivery delivery-failed" role="note">
        <strong>
          <Icon name="alert" />
          {t('delivery.failed')}
        </strong>
        <DeliveryError code={d.errorCode} error={d.error} t={t} />
      </span>
    );
  return (
    <span className="delivery delivery-queued" title={t('delivery.queuedHint')}>
      <Icon name="clock" />
      {t('delivery.queued')}
    </span>
  );
}

/** Whether a message was written by the guard (its private advice or public warning), not by a person. */
export function isGuardMessage(m: Message): boolean {
  return m.author?.kind === 'guard' || m.kind === 'guard_advice' || m.kind === 'guard_warning' || (m.direction === 'outbound' && !m.author?.id && /guard/i.test(m.author?.name ?? ''));
}

export interface MessageProps {
  m: Message;
  conversation: ConversationItem;
  meId: string;
  continued: boolean;
  /** The parent's `t`: one translation hook per timeline, not per message (a long thread renders faster). */
  t: TFunction;
}

export const MessageView = memo(function MessageView({ m, conversation, meId, continued, t }: MessageProps) {
  const outbound = m.direction === 'outbound';
  const byGuard = isGuardMessage(m);
  const mine = outbound && m.author?.id && m.author.id === meId;
  const name = byGuard
    ? t('message.guard')
    : outbound
      ? mine
        ? t('message.you', { name: m.author?.name || '' })
        : m.author?.name || t('message.agent')
      : m.author?.name || conversation.contact?.displayName || t('message.customer');
  const classes = ['msg', outbound || byGuard ? 'msg-out' : 'msg-in', byGuard && 'msg-guard', m.kind === 'guard_advice' && 'msg-advice', m.delivery?.status === 'failed' && 'msg-failed', continued && 'msg-cont', m.deletedAt && 'msg-deleted'].filter(Boolean).join(' ');
  return (
    <article className={classes} data-id={m.id} data-direction={m.direction} data-kind={m.kind ?? 'message'} data-delivery={outbound ? m.delivery?.status : undefined}>
      {outbound || byGuard ? null : continued ? <span className="avatar-gap" aria-hidden="true" /> : <Avatar id={conversation.contact?.id ?? name} name={name} size="sm" />}
      <div className="msg-main" title={continued ? `${isolate(name)} · ${fullTime(m.createdAt)}` : undefined}>
        <div className={`msg-meta${continued ? ' sr-only' : ''}`}>
          <span className="msg-author">
            {byGuard ? <Icon name="shield" /> : null}
            <Bidi>{name}</Bidi>
            {m.kind === 'guard_advice' ? <span className="chip chip-advice">{t('message.privateAdvice')}</span> : null}
          </span>
          <time className="msg-time" dateTime={m.createdAt} title={fullTime(m.createdAt)}>
            {clockTime(m.createdAt)}
          </time>
          {m.editedAt ? (
            <span className="msg-flag" title={t('message.editedHint', { time: fullTime(m.editedAt) })}>
              {t('message.edited')}
            </span>
          ) : null}
          {m.deletedAt ? (
            <span className="msg-flag msg-flag-deleted" title={t('message.deletedHint', { time: fullTime(m.deletedAt) })}>
              {t('message.deleted')}
            </span>
          ) : null}
        </div>
        <div className="bubble" dir="auto">
          <bdi dir="auto">{renderText(m.text ?? '', m.findings, t)}</bdi>
        </div>
        <FindingsNote findings={m.findings} t={t} />
        <GuardActions actions={m.guardActions} platform={conversation.platform} t={t} />
        {outbound ? (
          <div className="msg-status">
            <Delivery message={m} t={t} />
          </div>
        ) : null}
      </div>
    </article>
  );
});

export const NoteView = memo(function NoteView({ n, meId, t }: { n: Note; meId: string; t: TFunction }) {
  const name = n.author?.id === meId ? t('message.you', { name: n.author?.name || '' }) : n.author?.name || t('message.agent');
  return (
    <article className="note" data-id={n.id}>
      <div className="note-meta">
        <Icon name="note" />
        <span className="note-label">{t('note.label')}</span>
        <Bidi className="note-author">{name}</Bidi>
        <time className="msg-time" dateTime={n.createdAt} title={fullTime(n.createdAt)}>
          {clockTime(n.createdAt)}
        </time>
      </div>
      <div className="note-text" dir="auto">
        <bdi dir="auto">{n.text}</bdi>
      </div>
    </article>
  );
});
