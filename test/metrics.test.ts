// GET /metrics: Prometheus text with deployment-wide figures, behind METRICS_TOKEN.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramFake } from '../connectors/telegram/fake-server.ts';
import { eventually, startTestInbox, type TestInbox, telegramConnector } from './support/inbox.ts';

const BOT = { token: '5550071:METRICS_token_for_the_fake_0000000', id: 5550071, username: 'metrics_bot' };
const METRICS_TOKEN = 'metrics-token-0123456789';

let fake: TelegramFake;
let inbox: TestInbox;
let connectorId: string;

const scrape = async (token: string | null = METRICS_TOKEN) =>
  fetch(`${inbox.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
const value = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

beforeAll(async () => {
  fake = new TelegramFake({ bots: [BOT], pollHoldMs: 200 });
  await fake.start();
  inbox = await startTestInbox({ env: { METRICS_TOKEN } });
  const created = await inbox.api('/api/connectors', {
    token: inbox.adminToken,
    body: telegramConnector(fake.apiRoot, BOT.token, 'Metrics bot'),
  });
  connectorId = created.body.id;
  await eventually(async () => (await inbox.api(`/api/connectors/${connectorId}`, { token: inbox.adminToken })).body.health.status === 'connected', 10_000, 'connected');
});

afterAll(async () => {
  await inbox?.stop();
  await fake?.stop();
});

describe('GET /metrics', () => {
  it('refuses a scraper without the token', async () => {
    expect((await scrape(null)).status).toBe(401);
    expect((await scrape('wrong-token-0123456789000')).status).toBe(401);
  });

  it('reports ingest, sends, queues, lease holders and health in Prometheus format', async () => {
    const customer = { id: 8_870_001, first_name: 'Mo', username: 'mo_metrics', language_code: 'en' };
    fake.userSendsPrivate(BOT.token, customer, 'where is my withdrawal?');
    const conversation = await eventually(async () => (await inbox.api('/api/conversations?limit=50')).body.items.find((c: any) => c.contact.handle === 'mo_metrics'), 10_000, 'stored');
    await inbox.api(`/api/conversations/${conversation.id}/messages`, { body: { text: 'Checking now' } });
    await eventually(() => fake.sentMessages(BOT.token).some((m: any) => m.text === 'Checking now'), 10_000, 'sent');

    // Counters reach Redis within a couple of seconds, from whichever process counted them.
    const text = await eventually(async () => {
      const body = await (await scrape()).text();
      return (value(body, 'inbox_platform_calls_total{platform="telegram",call="send",outcome="ok"}') ?? 0) >= 1 && body;
    }, 10_000, 'send counted');
    const res = await scrape();
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(value(text, 'inbox_events_received_total{platform="telegram"}')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'inbox_queue_jobs{queue="inbound",state="waiting"}')).toBe(0);
    expect(text).toContain('# TYPE inbox_guard_actions_total counter');
    expect(text).toMatch(/inbox_connector_lease_held\{connector="Metrics bot",platform="telegram",holder="[^"]+:\d+:[0-9a-f]+"\} 1/);
    expect(value(text, 'inbox_connector_health{connector="Metrics bot",platform="telegram",status="connected"}')).toBe(1);
    expect(text).not.toContain(BOT.token);
  });

  it('counts platform failures by kind', async () => {
    fake.injectFault({ method: 'getUpdates', kind: 'server_error', status: 502, times: 1 });
    await eventually(async () => (value(await (await scrape()).text(), 'inbox_platform_errors_total{platform="telegram",kind="network"}') ?? 0) >= 1, 15_000, 'error counted');
  });
});
