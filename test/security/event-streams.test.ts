// Issue 10, item 11: SSE backpressure. A client that stops reading is dropped instead of being buffered without
// bound, and one person can hold only so many streams open.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestInbox, type TestInbox } from '../support/inbox.ts';
import { openEvents } from './sse-client.ts';

// Every sign-in and new user costs a full scrypt hash (128 MiB, seconds when the machine is busy).
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

let inbox: TestInbox;
beforeAll(async () => {
  inbox = await startTestInbox({ roles: 'api' });
});
afterAll(async () => {
  await inbox?.stop();
});

describe('event streams', () => {
  it('drops a client that stops reading rather than buffering for it without bound', async () => {
    const auth = { authorization: `Bearer ${inbox.agentToken}` };
    const stalled = await openEvents(inbox.url, auth);
    const reader = await openEvents(inbox.url, auth);
    expect([stalled.status, reader.status]).toEqual([200, 200]);
    stalled.pause();

    // 40 MB of events: far more than the kernel's socket buffers and the server's allowance hold.
    const padding = 'x'.repeat(20_000);
    const total = 2000;
    for (let i = 0; i < total; i += 10) {
      await inbox.app.events.publish(Array.from({ length: 10 }, (_, j) => ({ type: 'conversation.updated' as const, conversationId: `${i + j}-${padding}` })));
    }
    // The reading client gets everything...
    await expect.poll(() => reader.text().includes(`${total - 1}-x`) || reader.received() > total * 20_000, { timeout: 20_000 }).toBe(true);
    // ...the stalled one was dropped: once it reads again it finds the stream ended, well short of the total.
    stalled.resume();
    await stalled.ended;
    expect(stalled.received()).toBeLessThan(total * 20_000);
    reader.close();
  });

  it('caps the streams one person holds open', async () => {
    const auth = { authorization: `Bearer ${inbox.adminToken}` };
    const streams = [];
    for (let i = 0; i < 10; i++) streams.push(await openEvents(inbox.url, auth));
    expect(streams.every((s) => s.status === 200)).toBe(true);
    const extra = await openEvents(inbox.url, auth);
    expect(extra.status).toBe(429);
    await extra.ended;
    expect(extra.text()).toContain('too_many_streams');
    // Someone else is not affected, and closing one frees a place.
    const other = await openEvents(inbox.url, { authorization: `Bearer ${inbox.agentToken}` });
    expect(other.status).toBe(200);
    other.close();
    streams[0]!.close();
    await expect.poll(async () => {
      const again = await openEvents(inbox.url, auth);
      again.close();
      return again.status;
    }).toBe(200);
    for (const s of streams) s.close();
  });
});
