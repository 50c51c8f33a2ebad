// Transient notices in the corner ("Saved", "Could not send"), announced politely to screen readers.
import { useSyncExternalStore } from 'react';
import { Icon } from './ui.tsx';

export type ToastKind = 'info' | 'ok' | 'error';
interface Toast {
  id: number;
  message: string;
  kind: ToastKind;
  leaving: boolean;
}

let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

/** Shows `message` for about four seconds. */
export function toast(message: string, kind: ToastKind = 'info'): void {
  const id = nextId++;
  toasts = [...toasts, { id, message, kind, leaving: false }];
  emit();
  setTimeout(() => {
    toasts = toasts.map((t) => (t.id === id ? { ...t, leaving: true } : t));
    emit();
  }, 3600);
  setTimeout(() => {
    toasts = toasts.filter((t) => t.id !== id);
    emit();
  }, 4000);
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function Toasts() {
  const list = useSyncExternalStore(subscribe, () => toasts);
  return (
    <div id="toasts" className="toasts" role="status" aria-live="polite">
      {list.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}${t.leaving ? ' leaving' : ''}`}>
          {t.kind === 'ok' ? <Icon name="check" /> : t.kind === 'error' ? <Icon name="alert" /> : null}
          <span>{t.message}</span>
        </div>
      ))}
    </div>
  );
}
