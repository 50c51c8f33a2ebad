// Hash routing: #/inbox, #/inbox/<conversation id>, #/account, #/admin/<page>. The hash keeps deep links
// working with a static file server and no server-side routes.
import { useSyncExternalStore } from 'react';

export interface Route {
  /** "inbox", "account", "admin/users", ... */
  path: string;
  /** The segment after the path: a conversation id on the inbox. */
  param: string | null;
}

export function parseHash(hash: string): Route {
  const raw = decodeURIComponent(hash.replace(/^#\/?/, ''));
  const parts = raw.split('/').filter(Boolean);
  if (parts[0] === 'admin' && parts[1]) return { path: `admin/${parts[1]}`, param: parts[2] ?? null };
  return { path: parts[0] || 'inbox', param: parts[1] ?? null };
}

const listeners = new Set<() => void>();
let current = location.hash;
window.addEventListener('hashchange', () => {
  current = location.hash;
  listeners.forEach((l) => l());
});

/** Goes to `hash` ("#/inbox/…"); `replace` keeps the history entry. */
export function navigate(hash: string, { replace = false } = {}): void {
  const target = hash.startsWith('#') ? hash : `#/${hash}`;
  if (location.hash === target) return;
  if (replace) history.replaceState(null, '', target);
  else history.pushState(null, '', target);
  current = target;
  listeners.forEach((l) => l());
}

export function useHash(): string {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
}
