// The live event stream (GET /api/events, Server-Sent Events) shared by every view. EventSource reconnects by
// itself after network errors; when the server refuses the stream (401 after the session ended, 429 with too many
// streams open, a 5xx) it gives up without saying why, so we ask once by fetch (refusal()) and reconnect with a
// backoff (1 s doubling to 30 s); too many streams is shown ('refused') until one is free.
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { apiErrorOf, ApiError } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import type { LiveEvent, LiveEventType } from '../api/types.ts';

export type LiveStatus = 'off' | 'connecting' | 'live' | 'reconnecting' | 'refused';

/**
 * Why the server refuses the live stream: GET /api/events once by fetch, since EventSource hides the answer. Null
 * when it accepts (the probe's stream is closed at once); an unreachable server is the ApiError `network`.
 */
async function refusal(): Promise<ApiError | null> {
  const controller = new AbortController();
  try {
    const res = await fetch('/api/events', { credentials: 'same-origin', headers: { accept: 'text/event-stream' }, signal: controller.signal });
    return res.ok ? null : await apiErrorOf(res);
  } catch {
    return new ApiError(0, 'network', 'The server could not be reached.');
  } finally {
    controller.abort();
  }
}
/** A live event, or `reconnected` (events may have been missed: refresh what is on screen once). */
export type LiveMessage = LiveEvent | { type: 'reconnected' };

const TYPES: LiveEventType[] = ['message.created', 'message.updated', 'conversation.updated', 'guard.action', 'presence', 'note.created'];

class LiveEvents {
  private source: EventSource | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private delay = 1000;
  private status: LiveStatus = 'off';
  private readonly statusListeners = new Set<() => void>();
  private readonly listeners = new Set<(event: LiveMessage) => void>();
  private onSessionEnded: () => void = () => {};
  /** Whether the stream was open before (so the next opening is a reconnection). */
  private opened = false;
  /** While 'refused': the server's reason, in the interface language. */
  private reason = '';

  connect(onSessionEnded: () => void): void {
    this.onSessionEnded = onSessionEnded;
    this.opened = false;
    this.open();
  }

  disconnect(): void {
    clearTimeout(this.timer);
    this.source?.close();
    this.source = null;
    this.setStatus('off');
  }

  private open(): void {
    this.source?.close();
    if (this.status !== 'refused') this.setStatus('connecting');
    const source = new EventSource('/api/events', { withCredentials: true });
    this.source = source;
    source.onopen = () => {
      this.delay = 1000;
      // Only a re-opened stream may have missed events; the first opening comes with the views' own loads.
      if (this.opened) this.dispatch({ type: 'reconnected' });
      this.opened = true;
      this.setStatus('live');
    };
    source.onerror = () => {
      if (this.source !== source) return;
      if (this.status !== 'refused') this.setStatus('reconnecting');
      if (source.readyState !== EventSource.CLOSED) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(async () => {
        const refused = await refusal();
        if (refused?.status === 401) return this.onSessionEnded();
        if (refused?.code === 'too_many_streams') {
          this.reason = errorMessage(refused);
          this.setStatus('refused');
        } else if (this.status === 'refused') this.setStatus('reconnecting');
        if (refused) this.delay = Math.min(this.delay * 2, 30_000);
        if (this.source === source) this.open();
      }, this.delay);
    };
    for (const type of TYPES) {
      source.addEventListener(type, (e) => {
        let data: Record<string, unknown> = {};
        try {
          data = JSON.parse((e as MessageEvent<string>).data);
        } catch {
          return;
        }
        this.dispatch({ ...data, type } as LiveEvent);
      });
    }
  }

  private dispatch(event: LiveMessage): void {
    for (const l of this.listeners) l(event);
  }

  private setStatus(status: LiveStatus): void {
    this.status = status;
    this.statusListeners.forEach((l) => l());
  }

  subscribe(listener: (event: LiveMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  subscribeStatus = (listener: () => void): (() => void) => {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  };

  getStatus = (): LiveStatus => this.status;
  /** Why the stream is refused, while the status is 'refused'. */
  getReason = (): string => this.reason;
}

export const live = new LiveEvents();

/** Calls the latest `listener` for every live event while the component is mounted. */
export function useLiveEvents(listener: (event: LiveMessage) => void): void {
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => live.subscribe((e) => ref.current(e)), []);
}

export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(live.subscribeStatus, live.getStatus);
}
