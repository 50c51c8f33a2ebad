// Small presentational pieces shared by the pages: icons (inline SVG, no icon font), avatars, platform and
// visibility badges, labelled fields, switches. Customer-supplied text always goes through <Bidi>.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Platform, Visibility } from '../api/types.ts';
import { fieldMessage } from '../api/errors.ts';
import { hueOf, initials } from '../lib/format.ts';

const ICONS: Record<string, Array<[string, Record<string, string | number>]>> = {
  lock: [['rect', { x: 4, y: 11, width: 16, height: 10, rx: 2 }], ['path', { d: 'M8 11V7a4 4 0 0 1 8 0v4' }]],
  shield: [['path', { d: 'M12 22s8-4 8-10V5l-8-3-8 3v7c0 6 8 10 8 10z' }]],
  flag: [['path', { d: 'M5 15s1-1 4-1 5 2 8 2 3-1 3-1V3s-1 1-3 1-5-2-8-2-4 1-4 1z' }], ['path', { d: 'M5 22V15' }]],
  check: [['path', { d: 'M20 6 9 17l-5-5' }]],
  x: [['path', { d: 'M18 6 6 18M6 6l12 12' }]],
  clock: [['circle', { cx: 12, cy: 12, r: 9 }], ['path', { d: 'M12 7v5l3 2' }]],
  alert: [['circle', { cx: 12, cy: 12, r: 9 }], ['path', { d: 'M12 8v4.5M12 16h.01' }]],
  mail: [['rect', { x: 3, y: 5, width: 18, height: 14, rx: 2 }], ['path', { d: 'm21 7-9 6-9-6' }]],
  send: [['path', { d: 'M22 2 11 13M22 2l-7 20-4-9-9-4 20-7z' }]],
  minus: [['path', { d: 'M6 12h12' }]],
  eye: [['path', { d: 'M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12z' }], ['circle', { cx: 12, cy: 12, r: 3 }]],
  note: [['path', { d: 'M4 4h16v12l-4 4H4z' }], ['path', { d: 'M16 20v-4h4' }]],
  back: [['path', { d: 'M15 18l-6-6 6-6' }]],
  search: [['circle', { cx: 11, cy: 11, r: 7 }], ['path', { d: 'm20 20-3.5-3.5' }]],
  user: [['circle', { cx: 12, cy: 8, r: 4 }], ['path', { d: 'M4 21c0-4 4-6 8-6s8 2 8 6' }]],
  link: [['path', { d: 'M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1' }], ['path', { d: 'M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1' }]],
};

export function Icon({ name, className = '' }: { name: string; className?: string }) {
  return (
    <svg
      viewBox="0 0 24 24"
      className={`icon icon-${name} ${className}`.trim()}
      aria-hidden="true"
      fill={name === 'flag' ? 'currentColor' : 'none'}
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      {(ICONS[name] ?? []).map(([tag, attrs], i) => {
        const Tag = tag as 'path';
        return <Tag key={i} {...(attrs as object)} />;
      })}
    </svg>
  );
}

/** Explicit direction controls (embeddings, overrides, isolates: U+202A–U+202E, U+2066–U+2069). */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/**
 * Text that came from a person (a user's or customer's name, handle, message): isolated from the surrounding
 * text's direction, so a U+202E (right-to-left override) inside cannot reorder what follows it. A plain-string
 * child also loses its explicit direction controls, so "Eve\u202Enimda" shows as "Eve nimda", never "Eve admin".
 */
export function Bidi({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <bdi dir="auto" className={className}>
      {typeof children === 'string' ? children.replace(BIDI_CONTROLS, '') : children}
    </bdi>
  );
}

/**
 * A person's name for places that take plain text only (`title`, `<option>`, toasts, `confirm`): explicit
 * direction controls removed and the rest wrapped in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE.
 */
export function isolate(name: string): string {
  return `\u2068${name.replace(BIDI_CONTROLS, '')}\u2069`;
}

const NAME_SLOT = '\uE000';
/**
 * A translated sentence with a person's name in it (`t(key, {name})`), the name rendered through <Bidi>.
 * `sentence` is the translation called with NAME_SLOT as the name, e.g. `withName(t('presence.viewing', {name:
 * NAME_SLOT}), u.name)`; use `nameSlot` for that marker.
 */
export function withName(sentence: string, name: string): ReactNode {
  const [before, after = ''] = sentence.split(NAME_SLOT);
  return (
    <>
      {before}
      <Bidi>{name}</Bidi>
      {after}
    </>
  );
}
/** The marker `withName` replaces with the isolated name. */
export const nameSlot = NAME_SLOT;

export function Avatar({ id, name, size = 'md' }: { id: string; name: string | null | undefined; size?: 'sm' | 'md' | 'lg' }) {
  return (
    <span className={`avatar avatar-${size}`} style={{ ['--hue' as string]: hueOf(id || String(name)) }} aria-hidden="true">
      {initials(name)}
    </span>
  );
}

const PLATFORM_LETTER: Record<string, string> = { telegram: 'T', discord: 'D', x: 'X' };

export function PlatformBadge({ platform, withName = false }: { platform: Platform; withName?: boolean }) {
  const { t } = useTranslation();
  const label = t(`platform.${platform}`);
  return (
    <span className={`platform platform-${platform}${withName ? ' with-name' : ''}`} title={label}>
      <span className="platform-mark" aria-hidden="true">
        {PLATFORM_LETTER[platform] ?? '?'}
      </span>
      <span className={withName ? 'platform-name' : 'sr-only'}>{label}</span>
    </span>
  );
}

export function VisibilityBadge({ visibility }: { visibility: Visibility }) {
  const { t } = useTranslation();
  return visibility === 'public' ? (
    <span className="vis vis-public" title={t('vis.publicHint')}>
      {t('vis.public')}
    </span>
  ) : (
    <span className="vis vis-private" title={t('vis.privateHint')}>
      {t('vis.private')}
    </span>
  );
}

export function Field({ label, hint, error, wide, children }: { label: ReactNode; hint?: ReactNode; error?: string | null; wide?: boolean; children: ReactNode }) {
  return (
    <label className={`field${wide ? ' field-wide' : ''}`}>
      <span className="field-label">{label}</span>
      {children}
      {hint ? <span className="field-hint">{hint}</span> : null}
      {error ? <div className="field-msg">{error}</div> : null}
    </label>
  );
}

export function Switch({ checked, onChange, label, disabled, ariaLabel }: { checked: boolean; onChange: (v: boolean) => void; label?: string; disabled?: boolean; ariaLabel?: string }) {
  return (
    <label className="switch" title={label}>
      <input type="checkbox" role="switch" checked={checked} disabled={disabled} aria-label={ariaLabel} onChange={(e) => onChange(e.target.checked)} />
      <span className="switch-track" aria-hidden="true">
        <span className="switch-thumb" />
      </span>
      {label ? <span className="switch-label">{label}</span> : null}
    </label>
  );
}

export function FormError({ message }: { message: string | null | undefined }) {
  return message ? (
    <div className="form-error" role="alert">
      {message}
    </div>
  ) : null;
}

/** True when the keyboard focus is somewhere the user types (shortcuts stay out of the way then). */
export function isTyping(target: EventTarget | null = document.activeElement): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable;
}

/** The field message for `path` (or its nearest parent path: "settings.ids.0" → "settings.ids"), in the interface language. */
export function fieldError(fields: Record<string, unknown>, path: string): string | null {
  for (const [k, v] of Object.entries(fields)) if ((k === path || k.startsWith(`${path}.`)) && typeof v === 'string') return fieldMessage(v);
  return null;
}
