// The environment, parsed once. Every variable is documented in .env.example.
import { z } from 'zod';

const flag = z.enum(['on', 'off', 'true', 'false', '1', '0']).transform((v) => v === 'on' || v === 'true' || v === '1');

export const ROLES = ['api', 'workers', 'connectors'] as const;
export type Role = (typeof ROLES)[number];

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z.string().min(1).optional(),
  REDIS_URL: z.string().min(1).optional(),
  APP_SECRET: z.string().min(16, 'APP_SECRET must be at least 16 characters').optional(),
  ADMIN_EMAIL: z.email().default('admin@example.com'),
  ADMIN_PASSWORD: z.string().min(8, 'ADMIN_PASSWORD must be at least 8 characters').optional(),
  DEMO: flag.optional(),
  ROLES: z
    .string()
    .default(ROLES.join(','))
    .transform((v) => v.split(',').map((r) => r.trim()).filter(Boolean))
    .pipe(z.array(z.enum(ROLES)).min(1)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().default('.data'),
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]+$/).default('inbox'),
  // Express `trust proxy`: true/false, a hop count, or addresses/subnets (loopback, 10.0.0.0/8, ...).
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .transform((v) => (v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v)),
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  LEASE_TTL_MS: z.coerce.number().int().min(1000).max(600_000).default(10_000),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  /** Where the platforms reach our webhooks; defaults to the local URL. */
  publicUrl?: string;
  databaseUrl?: string;
  redisUrl?: string;
  appSecret?: string;
  adminEmail: string;
  adminPassword?: string;
  /** undefined = on when no connector is configured. */
  demo?: boolean;
  roles: Role[];
  logLevel: Env['LOG_LEVEL'];
  dataDir: string;
  /** Prefix of every Redis key (BullMQ queues, pub/sub): lets several inboxes share one Redis. */
  queuePrefix: string;
  /** Which proxies may set X-Forwarded-For/-Proto (client address in the audit log, Secure cookies). */
  trustProxy: boolean | number | string;
  /** How long a connector lease lives without renewal: a dead process's connectors are taken over within it. */
  leaseTtlMs: number;
  /** The bearer token GET /metrics requires; unset = /metrics is not served. */
  metricsToken?: string;
}

export class ConfigError extends Error {}

/** Parses the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const blankAsUnset = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ''));
  const parsed = EnvSchema.safeParse(blankAsUnset);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid environment: ${problems}`);
  }
  const env = parsed.data;
  if (env.NODE_ENV === 'production' && !env.APP_SECRET) {
    throw new ConfigError('APP_SECRET is required when NODE_ENV=production (it encrypts connector credentials).');
  }
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    publicUrl: env.PUBLIC_URL,
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    appSecret: env.APP_SECRET,
    adminEmail: env.ADMIN_EMAIL,
    adminPassword: env.ADMIN_PASSWORD,
    demo: env.DEMO,
    roles: env.ROLES,
    logLevel: env.LOG_LEVEL,
    dataDir: env.DATA_DIR,
    queuePrefix: env.QUEUE_PREFIX,
    trustProxy: env.TRUST_PROXY,
    leaseTtlMs: env.LEASE_TTL_MS,
    metricsToken: env.METRICS_TOKEN,
  };
}
