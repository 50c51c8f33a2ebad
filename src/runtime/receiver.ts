// Receiving for one connector, for every platform: connect, then poll in a loop, listen to a gateway or keep
// the platform's webhook pointed at us; drop echoes and repeats; sink, then move the cursor (saved in batches);
// decide health; restart with the one backoff policy; stop when told to or when a cursor write shows that
// another process has taken the connector over. No database, queue or lease in here: the caller lends those
// as a ReceiverHost (src/runtime/supervisor.ts with PostgreSQL and Redis; the contract suite in memory).
import type { Connector, ConnectorHealth, GatewaySession } from '../../connectors/connector.ts';
import { ConnectorError, NetworkError } from '../../connectors/errors.ts';
import type { InboundEvent, PlatformUserRef } from '../domain/types.ts';
import { safeErrorMessage } from '../log.ts';
import { backoffDelayMs, sleep, type BackoffOptions } from './backoff.ts';
import { InboundGate } from './gate.ts';

export interface ReceiverHost {
  /** Durable hand-over of inbound events (the inbound queue); resolves once they are safe. */
  sink(events: InboundEvent[]): Promise<void>;
  loadCursor(): Promise<string | null>;
  /**
   * Stores the cursor, fenced: resolves false (storing nothing) when another holder has claimed the connector
   * since this one did. The receiver then stops at once.
   */
  saveCursor(cursor: string): Promise<boolean>;
  /** Called on every change of health (repeats are not reported). */
  reportHealth(health: ConnectorHealth): void;
  /** The bot's own account, after each successful connect. */
  connected?(me: PlatformUserRef): Promise<void>;
}

export interface ReceiverOptions {
  /** Restart delays after failures (the one policy in backoff.ts); defaults to 0.5 s doubling to 30 s. */
  backoff?: BackoffOptions;
  /** Cursor writes are gathered for this long (ms), so a busy connector writes a few times a second at most. */
  cursorFlushMs?: number;
  /** Called when a cursor write fails (the receiver keeps going; memory stays ahead of the database). */
  onCursorError?(err: unknown): void;
  /** Called with every failure that made the receiver restart or park (for metrics). */
  onError?(error: ConnectorError): void;
}

/** How a receiver ended: told to stop, or a fenced write found that another process holds the connector. */
export type ReceiverEnd = 'stopped' | 'lease_lost';

export class LeaseLostError extends Error {
  constructor() {
    super('Another process has taken this connector over.');
  }
}

const FOREVER_MS = 2 ** 31 - 1;

/**
 * Receives for `connector` until `signal` aborts or the connector is found to be held elsewhere. Never
 * throws: failures become health reports and restarts. An AuthError parks the connector (auth_failed) until
 * it is restarted with new credentials, since retrying a rejected token only hammers the platform.
 */
export function runReceiver(connector: Connector, host: ReceiverHost, signal: AbortSignal, options: ReceiverOptions = {}): Promise<ReceiverEnd> {
  return new Receiver(connector, host, options).run(signal);
}

class Receiver {
  private readonly stop = new AbortController();
  private readonly gate: InboundGate;
  private cursor!: CursorKeeper;
  private botUserId: string | null = null;
  private failures = 0;
  private lastHealth = '';
  private lost = false;
  /** Deliveries run one after another, so cursors only ever move in the order the connector handed them. */
  private deliveries: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly connector: Connector,
    private readonly host: ReceiverHost,
    private readonly options: ReceiverOptions,
  ) {
    this.gate = new InboundGate((events) => host.sink(events));
  }

  async run(outer: AbortSignal): Promise<ReceiverEnd> {
    const abort = () => this.stop.abort();
    if (outer.aborted) abort();
    outer.addEventListener('abort', abort, { once: true });
    const signal = this.stop.signal;
    this.report({ status: 'starting' });
    while (!signal.aborted) {
      try {
        this.cursor ??= new CursorKeeper(await this.host.loadCursor(), (c) => this.host.saveCursor(c), {
          flushMs: this.options.cursorFlushMs ?? 200,
          onLost: () => this.leaseLost(),
          onError: (err) => this.options.onCursorError?.(err),
        });
        const me = await this.connector.connect();
        this.botUserId = me.id;
        await this.host.connected?.(me);
        await this.receive(signal);
      } catch (err) {
        if (signal.aborted) break;
        const error = err instanceof ConnectorError ? err : new NetworkError(safeErrorMessage(err));
        this.failures += 1;
        this.options.onError?.(error);
        if (error.kind === 'auth') {
          this.report({ status: 'auth_failed', lastError: error.message });
          await sleep(FOREVER_MS, signal);
          break;
        }
        this.report({ status: error.retryable ? 'reconnecting' : 'error', lastError: error.message });
        await sleep(backoffDelayMs(error, this.failures, this.options.backoff), signal);
      }
    }
    outer.removeEventListener('abort', abort);
    await this.deliveries.catch(() => {});
    await this.cursor?.flush();
    this.report({ status: 'stopped' });
    return this.lost ? 'lease_lost' : 'stopped';
  }

  /** Receives the way the connector's capabilities say, until `signal` aborts (resolves) or a failure (throws). */
  private async receive(signal: AbortSignal): Promise<void> {
    const { connector } = this;
    if (connector.capabilities.gateway && connector.listen) {
      const session: GatewaySession = {
        cursor: this.cursor.current,
        deliver: (events, cursor) => this.deliver(events, cursor),
        storeCursor: (cursor) => this.inOrder(() => this.cursor.store(cursor)),
        connected: () => this.connected(),
        reconnecting: (reason) => this.report({ status: 'reconnecting', lastError: reason }),
      };
      await connector.listen(session, signal);
      return;
    }
    if (connector.capabilities.polling && connector.poll) {
      this.connected(); // the credentials were just accepted; a failing poll says otherwise soon enough
      await this.pollUntilAborted(connector.poll.bind(connector), signal);
      return;
    }
    if (connector.capabilities.webhook && connector.subscribeWebhook) {
      await connector.subscribeWebhook();
      this.connected();
      // A webhook connector that also polls reconciles what the platform's deliveries miss.
      if (connector.poll) await this.pollUntilAborted(connector.poll.bind(connector), signal);
      else await sleep(FOREVER_MS, signal);
      return;
    }
    throw new Error(`The ${connector.platform} connector implements no way of receiving its capabilities name.`);
  }

  private async pollUntilAborted(poll: NonNullable<Connector['poll']>, signal: AbortSignal): Promise<void> {
    let cursor = this.cursor.current;
    while (!signal.aborted) {
      const batch = await poll(cursor, signal);
      await this.deliver(batch.events, batch.cursor ?? undefined);
      cursor = batch.cursor ?? cursor;
      this.connected();
    }
  }

  private connected(): void {
    this.failures = 0;
    this.report({ status: 'connected' });
  }

  /** Sink, then move the cursor: a crash in between re-reads the batch (the gate and pipeline drop repeats). */
  private deliver(events: InboundEvent[], cursor: string | undefined): Promise<void> {
    return this.inOrder(async () => {
      await this.gate.pass(events, this.botUserId);
      if (cursor !== undefined) this.cursor.set(cursor);
    });
  }

  /** Runs `work` after every delivery handed over before it, unless another process has taken the connector. */
  private inOrder(work: () => Promise<void>): Promise<void> {
    const next = this.deliveries.then(() => {
      if (this.lost) throw new LeaseLostError();
      return work();
    });
    this.deliveries = next.catch(() => {});
    return next;
  }

  private leaseLost(): void {
    this.lost = true;
    this.stop.abort();
  }

  private report(health: ConnectorHealth): void {
    const key = `${health.status}\n${health.lastError ?? ''}`;
    if (key === this.lastHealth) return;
    this.lastHealth = key;
    this.host.reportHealth(health);
  }
}

/**
 * The cursor in memory (always the position after the last sunk events) and its fenced, batched writes: a
 * write waits `flushMs` for later positions to gather, and while one is in flight only the newest pending value
 * is kept, so a slow database costs staleness, never throughput. `store` writes at once and waits for it.
 */
class CursorKeeper {
  /** The newest value not yet written, and its version (versions count the values `current` has taken). */
  private pending: { value: string; version: number } | undefined;
  private version = 0;
  /** The version of the value last written. */
  private written = 0;
  /** Why the last write failed (null once one succeeds); a refused write sets `lost` instead, for good. */
  private failure: unknown = null;
  private lost = false;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | null = null;

  constructor(
    public current: string | null,
    private readonly save: (cursor: string) => Promise<boolean>,
    private readonly on: { flushMs: number; onLost(): void; onError(err: unknown): void },
  ) {}

  set(cursor: string): void {
    if (cursor === this.current) return;
    this.current = cursor;
    this.pending = { value: cursor, version: ++this.version };
    if (!this.timer && !this.writing) this.timer = setTimeout(() => void this.startWriting(), this.on.flushMs);
  }

  /**
   * Sets `cursor` and writes it now. Resolves once it (or a later value) is stored; rejects with LeaseLostError
   * when the write was refused, or with the database's error (the value stays pending, as after any failed write).
   */
  async store(cursor: string): Promise<void> {
    this.set(cursor);
    const version = this.version;
    await this.startWriting();
    if (this.written >= version) return;
    throw this.lost ? new LeaseLostError() : (this.failure ?? new Error('the cursor could not be stored'));
  }

  /** Writes what is pending, unless a write is already in flight (it writes the pending value after its own). */
  private startWriting(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.writing && this.pending !== undefined && !this.lost) this.writing = this.drain();
    return this.writing ?? Promise.resolve();
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending !== undefined) {
        const pending = this.pending;
        this.pending = undefined;
        try {
          if (!(await this.save(pending.value))) {
            this.lost = true;
            this.on.onLost();
            return;
          }
          this.written = pending.version;
          this.failure = null;
        } catch (err) {
          this.pending ??= pending; // tried again with the next position or at the final flush
          this.failure = err;
          this.on.onError(err);
          return;
        }
      }
    } finally {
      // Cleared in the same turn as the last look at `pending`: a value set after it starts a new write.
      this.writing = null;
    }
  }

  /** Writes what is pending now (at stop). */
  async flush(): Promise<void> {
    await this.writing;
    await this.startWriting();
  }
}
