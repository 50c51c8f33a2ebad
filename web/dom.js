// Small DOM helpers. Every piece of data goes in through textContent or attributes, never through innerHTML:
// customers' messages are untrusted.

/**
 * h('div', {class: 'x', onclick: fn, dataset: {id: '1'}}, 'text', child, [more, children])
 * Attributes: `class`, `style` (string), `dataset`, `on<event>` handlers, boolean attributes (true/false),
 * and DOM properties `value`, `checked`, `disabled`, `selected`. Children: strings, numbers, nodes, arrays,
 * null/undefined/false (skipped).
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
      else if (key === 'dataset') Object.assign(el.dataset, value);
      // Through the CSSOM: the Content-Security-Policy refuses style attributes.
      else if (key === 'style') el.style.cssText = String(value);
      else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
      else if (key === 'value' || key === 'checked' || key === 'disabled' || key === 'selected' || key === 'indeterminate') el[key] = value;
      else if (value === true) el.setAttribute(key, '');
      else el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

export function replaceChildren(el, ...children) {
  clear(el);
  return append(el, children);
}

// ---------------------------------------------------------------------------------------------------------------
// Time

const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'narrow' });
const dateFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const dateYearFmt = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const fullFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** "now", "5m", "3h", "Yesterday"-ish, then a date: compact, for lists. */
export function relativeTime(iso, now = Date.now()) {
  if (!iso) return '';
  const t = new Date(iso).getTime();
  const s = Math.round((now - t) / 1000);
  if (s < 45) return 'now';
  if (s < 3600) return `${Math.round(s / 60)}m`;
  if (s < 86_400) return `${Math.round(s / 3600)}h`;
  if (s < 7 * 86_400) return `${Math.round(s / 86_400)}d`;
  const d = new Date(t);
  return d.getFullYear() === new Date(now).getFullYear() ? dateFmt.format(d) : dateYearFmt.format(d);
}

/** "5 minutes ago" style, for sentences. */
export function relativeSentence(iso, now = Date.now()) {
  if (!iso) return '';
  const s = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(s);
  if (abs < 60) return rtf.format(s, 'second');
  if (abs < 3600) return rtf.format(Math.round(s / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(s / 3600), 'hour');
  return rtf.format(Math.round(s / 86_400), 'day');
}

export const clockTime = (iso) => (iso ? timeFmt.format(new Date(iso)) : '');
export const fullTime = (iso) => (iso ? fullFmt.format(new Date(iso)) : '');

/** A day separator label for the message timeline. */
export function dayLabel(iso) {
  const d = new Date(iso);
  const today = new Date();
  const yesterday = new Date(Date.now() - 86_400_000);
  if (d.toDateString() === today.toDateString()) return 'Today';
  if (d.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return d.getFullYear() === today.getFullYear() ? dateFmt.format(d) : dateYearFmt.format(d);
}

// ---------------------------------------------------------------------------------------------------------------
// Labels

export const PLATFORM_LABEL = { telegram: 'Telegram', discord: 'Discord', x: 'X' };
export const STATUS_LABEL = { open: 'Open', pending: 'Pending', resolved: 'Resolved' };

export const FINDING_LABEL = {
  seed_phrase: 'recovery phrase',
  private_key: 'private key',
  password: 'password',
  otp: 'one-time code',
  payment_card: 'payment card',
  bank_account: 'bank account',
  national_id: 'national ID',
  phone: 'phone number',
  email: 'email address',
  api_token: 'API token',
};
export const findingLabel = (type) => FINDING_LABEL[type] ?? String(type).replaceAll('_', ' ');

/** A short platform mark: a coloured square with a letter (no external icons). */
export function platformBadge(platform, { withName = false } = {}) {
  const letter = { telegram: 'T', discord: 'D', x: 'X' }[platform] ?? '?';
  return h(
    'span',
    { class: ['platform', `platform-${platform}`, withName && 'with-name'], title: PLATFORM_LABEL[platform] ?? platform },
    h('span', { class: 'platform-mark', 'aria-hidden': 'true' }, letter),
    withName ? h('span', { class: 'platform-name' }, PLATFORM_LABEL[platform] ?? platform) : h('span', { class: 'sr-only' }, PLATFORM_LABEL[platform] ?? platform),
  );
}

export function visibilityBadge(visibility) {
  return visibility === 'public'
    ? h('span', { class: 'vis vis-public', title: 'Public: posted in a group or channel, others can see it' }, 'Public')
    : h('span', { class: 'vis vis-private', title: 'Private: a direct message' }, 'DM');
}

export function initials(name) {
  const text = String(name ?? '').trim();
  if (!text) return '?';
  // CJK names: the first character reads best; Latin names: up to two initials.
  if (/[\u3400-\u9fff\uf900-\ufaff]/.test(text[0])) return text[0];
  const parts = text.replace(/^@/, '').split(/[\s._-]+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '') + (parts[1]?.[0] ?? '')).toUpperCase() || '?';
}

/** A stable hue per id, for avatars. */
export function hueOf(id) {
  let n = 0;
  for (const ch of String(id)) n = (n * 31 + ch.charCodeAt(0)) >>> 0;
  return n % 360;
}

export function avatar(id, name, size = 'md') {
  return h('span', { class: ['avatar', `avatar-${size}`], style: `--hue:${hueOf(id ?? name)}`, 'aria-hidden': 'true' }, initials(name));
}

/** Debounce: runs `fn` once, `ms` after the last call. */
export function debounce(fn, ms) {
  let timer;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  wrapped.cancel = () => clearTimeout(timer);
  return wrapped;
}

/** A transient notice in the corner. */
export function toast(message, kind = 'info') {
  let host = document.getElementById('toasts');
  if (!host) {
    host = h('div', { id: 'toasts', class: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.append(host);
  }
  const el = h('div', { class: ['toast', `toast-${kind}`] }, kind === 'ok' ? icon('check') : kind === 'error' ? icon('alert') : null, h('span', {}, message));
  host.append(el);
  setTimeout(() => el.classList.add('leaving'), 3600);
  setTimeout(() => el.remove(), 4000);
}

/** True when the keyboard focus is somewhere the user types. */
export function isTyping(target = document.activeElement) {
  if (!target) return false;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
}

// ---------------------------------------------------------------------------------------------------------------
// Icons: inline SVG (no icon font, no emoji: they render the same on every machine, CJK fonts or not).

const ICONS = {
  lock: [['rect', { x: 4, y: 11, width: 16, height: 10, rx: 2 }], ['path', { d: 'M8 11V7a4 4 0 0 1 8 0v4' }]],
  shield: [['path', { d: 'M12 22s8-4 8-10V5l-8-3-8 3v7c0 6 8 10 8 10z' }]],
  flag: [['path', { d: 'M5 15s1-1 4-1 5 2 8 2 3-1 3-1V3s-1 1-3 1-5-2-8-2-4 1-4 1z' }], ['path', { d: 'M5 22V15' }]],
  check: [['path', { d: 'M20 6 9 17l-5-5' }]],
  x: [['path', { d: 'M18 6 6 18M6 6l12 12' }]],
  clock: [['circle', { cx: 12, cy: 12, r: 9 }], ['path', { d: 'M12 7v5l3 2' }]],
  alert: [['circle', { cx: 12, cy: 12, r: 9 }], ['path', { d: 'M12 8v4.5M12 16h.01' }]],
  mail: [['rect', { x: 3, y: 5, width: 18, height: 14, rx: 2 }], ['path', { d: 'm21 7-9 6-9-6' }]],
  send: [['path', { d: 'M22 2 11 13M22 2l-7 20-4-9-9-4 20-7z' }]],
  dots: [['path', { d: 'M6 12h.01M12 12h.01M18 12h.01' }]],
  minus: [['path', { d: 'M6 12h12' }]],
  eye: [['path', { d: 'M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12z' }], ['circle', { cx: 12, cy: 12, r: 3 }]],
};

export function icon(name, cls = '') {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', `icon icon-${name} ${cls}`.trim());
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('fill', name === 'flag' ? 'currentColor' : 'none');
  svg.setAttribute('stroke', 'currentColor');
  svg.setAttribute('stroke-width', '2');
  svg.setAttribute('stroke-linecap', 'round');
  svg.setAttribute('stroke-linejoin', 'round');
  for (const [tag, attrs] of ICONS[name] ?? []) {
    const el = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    svg.append(el);
  }
  return svg;
}
