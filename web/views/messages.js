// Rendering one message: its text with the guard's findings highlighted, what the guard did on the platform,
// and, for our replies, whether they went out.
import { avatar, clockTime, findingLabel, fullTime, h, icon } from '../dom.js';

/**
 * The text split into plain runs and finding marks. Offsets are UTF-16 indices (JavaScript's own), end
 * exclusive; findings out of range or overlapping an earlier one are ignored rather than garbling the text.
 */
export function renderText(text, findings) {
  const out = [];
  let at = 0;
  const sorted = [...(findings ?? [])].filter((f) => Number.isInteger(f.start) && Number.isInteger(f.end)).sort((a, b) => a.start - b.start);
  for (const f of sorted) {
    if (f.start < at || f.end <= f.start || f.end > text.length) continue;
    if (f.start > at) out.push(text.slice(at, f.start));
    out.push(findingMark(text.slice(f.start, f.end), f));
    at = f.end;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

function findingMark(span, f) {
  const label = findingLabel(f.type);
  const masked = f.masked !== false;
  if (masked) {
    // The stored text holds a placeholder such as "[payment_card removed]": show it as a readable chip.
    const isPlaceholder = span === `[${f.type} removed]`;
    return h(
      'mark',
      {
        class: 'finding finding-masked',
        dataset: { type: f.type },
        title: `The guard removed a ${label} here. The original was never stored.`,
      },
      icon('lock', 'finding-icon'),
      isPlaceholder ? h('span', { class: 'finding-text' }, `${label} removed`) : h('span', { class: 'finding-text' }, span),
    );
  }
  return h(
    'mark',
    { class: 'finding finding-visible', dataset: { type: f.type }, title: `Detected ${label}: left visible (ordinary support data in a private conversation)` },
    h('span', { class: 'finding-text' }, span),
    h('span', { class: 'finding-tag' }, label),
  );
}

const REMOVED_WHERE = { telegram: 'Removed from the group', discord: 'Removed from the channel', x: 'Removed from public view' };

/** One guard action as a sentence an agent understands, and its tone. */
export function describeGuardAction(action, platform) {
  const detail = action.detail ? `: ${action.detail}` : '';
  const s = action.status;
  switch (action.kind) {
    case 'remove':
      if (s === 'done') return [action.detail === 'hidden' ? 'Hidden from public view' : REMOVED_WHERE[platform] ?? 'Removed from public view', 'ok'];
      if (s === 'pending') return ['Removing from public view…', 'pending'];
      if (s === 'skipped') return [`Not removed${detail}`, 'muted'];
      return [`Could not remove${detail || ' the post'}`, s === 'failed' ? 'bad' : 'warn'];
    case 'dm':
      if (s === 'done') return ['Private advice sent', 'ok'];
      if (s === 'pending') return ['Sending private advice…', 'pending'];
      if (s === 'skipped') return [`Private advice skipped${detail}`, 'muted'];
      return [`Could not send private advice${detail}`, s === 'failed' ? 'bad' : 'warn'];
    case 'warn':
      if (s === 'done') return ['Warned in public', 'ok'];
      if (s === 'pending') return ['Posting a public warning…', 'pending'];
      if (s === 'skipped') return [`Public warning skipped${detail}`, 'muted'];
      return [`Could not warn in public${detail}`, s === 'failed' ? 'bad' : 'warn'];
    default:
      return [`${action.kind}: ${action.status}${detail}`, 'muted'];
  }
}

const TONE_ICON = { ok: 'check', pending: 'clock', warn: 'alert', bad: 'x', muted: 'minus' };

function guardActions(actions, platform) {
  if (!actions?.length) return null;
  const order = { remove: 0, dm: 1, warn: 2 };
  const sorted = [...actions].sort((a, b) => (order[a.kind] ?? 9) - (order[b.kind] ?? 9));
  return h(
    'ul',
    { class: 'guard-actions', 'aria-label': 'What the guard did' },
    sorted.map((a) => {
      const [text, tone] = describeGuardAction(a, platform);
      return h(
        'li',
        { class: ['guard-action', `tone-${tone}`], dataset: { kind: a.kind, status: a.status }, title: a.at ? fullTime(a.at) : null },
        icon(TONE_ICON[tone], 'ga-icon'),
        h('span', { class: 'ga-text' }, text),
      );
    }),
  );
}

function findingsNote(findings) {
  if (!findings?.length) return null;
  const masked = [...new Set(findings.filter((f) => f.masked !== false).map((f) => findingLabel(f.type)))];
  const visible = [...new Set(findings.filter((f) => f.masked === false).map((f) => findingLabel(f.type)))];
  return h(
    'div',
    { class: 'guard-note' },
    icon('shield', 'shield'),
    masked.length ? h('span', {}, 'Guard masked ', masked.map((l, i) => [i ? ', ' : '', h('span', { class: 'chip chip-finding' }, l)])) : null,
    masked.length && visible.length ? h('span', { class: 'sep' }, ' · ') : null,
    visible.length ? h('span', {}, 'Detected ', visible.map((l, i) => [i ? ', ' : '', h('span', { class: 'chip chip-visible' }, l)]), ' (left visible)') : null,
  );
}

function delivery(message) {
  const d = message.delivery ?? {};
  if (d.status === 'sent') return h('span', { class: 'delivery delivery-sent', title: d.externalId ? `Delivered · ${d.externalId}` : 'Delivered' }, icon('check'), 'Sent');
  if (d.status === 'failed')
    return h('span', { class: 'delivery delivery-failed', role: 'note' }, h('strong', {}, icon('alert'), 'Failed'), d.error ? h('span', { class: 'delivery-error' }, d.error) : null);
  return h('span', { class: 'delivery delivery-queued', title: 'Waiting to go out on the platform' }, icon('clock'), 'Queued');
}

/** One message in the timeline. `conversation` gives the platform and the customer. */
export function renderMessage(m, conversation, me, { continued = false } = {}) {
  const outbound = m.direction === 'outbound';
  const byGuard = outbound && !m.author?.id && /guard/i.test(m.author?.name ?? '');
  const mine = outbound && m.author?.id && m.author.id === me.id;
  const name = outbound ? (byGuard ? 'Guard (automatic)' : mine ? `${m.author?.name || 'You'} (you)` : m.author?.name || 'Agent') : m.author?.name || conversation?.contact?.displayName || 'Customer';
  return h(
    'article',
    {
      class: ['msg', outbound ? 'msg-out' : 'msg-in', byGuard && 'msg-guard', m.delivery?.status === 'failed' && 'msg-failed', m.deletedAt && 'msg-deleted', continued && 'msg-cont'],
      dataset: { id: m.id, direction: m.direction, delivery: outbound ? m.delivery?.status : null },
    },
    outbound ? null : continued ? h('span', { class: 'avatar-gap', 'aria-hidden': 'true' }) : avatar(conversation?.contact?.id ?? name, name, 'sm'),
    h(
      'div',
      { class: 'msg-main', title: continued ? `${name} · ${fullTime(m.createdAt)}` : null },
      h(
        'div',
        { class: ['msg-meta', continued && 'sr-only'] },
        h('span', { class: 'msg-author' }, byGuard ? [icon('shield'), name] : name),
        h('time', { class: 'msg-time', datetime: m.createdAt, title: fullTime(m.createdAt) }, clockTime(m.createdAt)),
        m.editedAt ? h('span', { class: 'msg-flag', title: `Edited by the customer · ${fullTime(m.editedAt)}` }, 'edited') : null,
        m.deletedAt ? h('span', { class: 'msg-flag msg-flag-deleted', title: `Deleted on the platform · ${fullTime(m.deletedAt)}` }, 'deleted') : null,
      ),
      h('div', { class: 'bubble', dir: 'auto' }, renderText(m.text ?? '', m.findings)),
      findingsNote(m.findings),
      guardActions(m.guardActions, conversation?.platform),
      outbound ? h('div', { class: 'msg-status' }, delivery(m)) : null,
    ),
  );
}
