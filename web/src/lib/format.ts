// Dates and times in the interface language (zh-CN or en), through Intl. Formatters are cached per locale.
import { i18n } from '../i18n/index.ts';

const cache = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat>();

/** The BCP 47 locale of the interface language: "zh-CN" or "en-US". */
export function locale(): string {
  return i18n.language === 'zh' ? 'zh-CN' : 'en-US';
}

function dtf(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale()}|d|${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) cache.set(key, (f = new Intl.DateTimeFormat(locale(), options)));
  return f;
}

function rtf(): Intl.RelativeTimeFormat {
  const key = `${locale()}|r`;
  let f = cache.get(key) as Intl.RelativeTimeFormat | undefined;
  if (!f) cache.set(key, (f = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto', style: 'narrow' })));
  return f;
}

/** Compact, for lists: "now", "5m" / "5分钟", then a date. `iso` is an ISO 8601 string. */
export function relativeTime(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  const t = new Date(iso).getTime();
  const s = Math.round((now - t) / 1000);
  if (s < 45) return i18n.t('time.now');
  if (s < 3600) return i18n.t('time.minutes', { count: Math.round(s / 60) });
  if (s < 86_400) return i18n.t('time.hours', { count: Math.round(s / 3600) });
  if (s < 7 * 86_400) return i18n.t('time.days', { count: Math.round(s / 86_400) });
  const d = new Date(t);
  return d.getFullYear() === new Date(now).getFullYear() ? dtf({ month: 'short', day: 'numeric' }).format(d) : dtf({ year: 'numeric', month: 'short', day: 'numeric' }).format(d);
}

/** "5 minutes ago" / "5分钟前", "in 3 hours": for sentences. */
export function relativeSentence(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  const s = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(s);
  if (abs < 60) return rtf().format(s, 'second');
  if (abs < 3600) return rtf().format(Math.round(s / 60), 'minute');
  if (abs < 86_400) return rtf().format(Math.round(s / 3600), 'hour');
  return rtf().format(Math.round(s / 86_400), 'day');
}

/** "14:05". */
export const clockTime = (iso: string | null | undefined): string => (iso ? dtf({ hour: '2-digit', minute: '2-digit' }).format(new Date(iso)) : '');

const fullCache = new Map<string, string>();
/** Date and time in full, for tooltips and tables (remembered per locale and instant: a thread asks often). */
export function fullTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const key = `${locale()}|${iso}`;
  let text = fullCache.get(key);
  if (text === undefined) {
    if (fullCache.size > 20_000) fullCache.clear();
    fullCache.set(key, (text = dtf({ dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso))));
  }
  return text;
}

/** A day separator label for the message timeline: Today, Yesterday, or a date. */
export function dayLabel(iso: string): string {
  const d = new Date(iso);
  const today = new Date();
  const yesterday = new Date(Date.now() - 86_400_000);
  if (d.toDateString() === today.toDateString()) return i18n.t('time.today');
  if (d.toDateString() === yesterday.toDateString()) return i18n.t('time.yesterday');
  return d.getFullYear() === today.getFullYear() ? dtf({ month: 'long', day: 'numeric', weekday: 'short' }).format(d) : dtf({ dateStyle: 'long' }).format(d);
}

/** "12 min" / "1 h 5 min" for a duration in milliseconds (timers); `compact`: "12m" / "1h" for lists. */
export function duration(ms: number, compact = false): string {
  const minutes = Math.max(0, Math.round(Math.abs(ms) / 60_000));
  const hours = Math.floor(minutes / 60);
  if (compact) return minutes < 60 ? i18n.t('time.minutes', { count: minutes }) : hours < 48 ? i18n.t('time.hours', { count: hours }) : i18n.t('time.days', { count: Math.round(hours / 24) });
  if (minutes < 60) return i18n.t('time.durationMinutes', { count: minutes });
  if (hours < 48) return minutes % 60 ? i18n.t('time.durationHours', { hours, minutes: minutes % 60 }) : i18n.t('time.durationHoursOnly', { hours });
  return i18n.t('time.days', { count: Math.round(hours / 24) });
}


/** First letters for an avatar: a CJK name's first character, else up to two Latin initials. */
export function initials(name: string | null | undefined): string {
  const text = String(name ?? '').replace(/[\u202A-\u202E\u2066-\u2069]/g, '').trim();
  if (!text) return '?';
  const first = [...text][0] ?? '?';
  if (/[\u3400-\u9fff\uf900-\ufaff]/.test(first)) return first;
  const parts = text.replace(/^@/, '').split(/[\s._-]+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '') + (parts[1]?.[0] ?? '')).toUpperCase() || '?';
}

/** A stable hue (0–359) per id, for avatars. */
export function hueOf(id: string): number {
  let n = 0;
  for (const ch of id) n = (n * 31 + ch.charCodeAt(0)) >>> 0;
  return n % 360;
}
