// Structured logs (pino). Secrets must never reach a log line: known secret-bearing fields are censored here,
// and message text is never logged at all (only ids and counts).
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

export const REDACTED_PATHS = [
  'token',
  'botToken',
  'password',
  'passwordHash',
  'credentials',
  'appSecret',
  'text',
  'raw',
  '*.token',
  '*.botToken',
  '*.password',
  '*.credentials',
  '*.accessToken',
  '*.accessSecret',
  '*.appSecret',
  '*.text',
  '*.raw',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-telegram-bot-api-secret-token"]',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: undefined }, destination);
}

/**
 * Error text that is safe to log or show: platform libraries put the request URL in some messages, and
 * Telegram's URLs contain the bot token (`/bot<token>/method`).
 */
export function safeErrorMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/bot\d+:[A-Za-z0-9_-]+/g, 'bot[redacted]').slice(0, 500);
}
