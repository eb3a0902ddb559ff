import { hostname } from 'node:os';
import { z } from 'zod';
import { commonEnv, loadConfig, port } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { runService } from '../src/process.js';
import { sessionSecret } from '../src/secret.js';
import { openTap } from '../src/tap.js';
import { AllowedOriginsEnv } from './origins.js';
import { startRelay } from './relay.js';

const env = loadConfig({
  ...commonEnv,
  PORT: port(9664),
  RELAY_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'up to 64 characters among A-Z, a-z, 0-9, _ . : -')
    .optional(),
  JOIN_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  DRAIN_SPREAD_MS: z.coerce.number().int().min(0).max(600_000).default(4000),
  DRAIN_DEADLINE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  TAP: z.string().optional(),
  ALLOWED_ORIGINS: AllowedOriginsEnv,
  RATE_LIMIT_FACTOR: z.coerce.number().min(0.1).max(10_000).default(1),
});
const relayId = env.RELAY_ID ?? `${hostname()}-${env.PORT}`;
const drainDeadlineMs = Math.max(env.DRAIN_DEADLINE_MS, env.DRAIN_SPREAD_MS);
const log = createLogger('relay', env.LOG_LEVEL, { relay: relayId });

// The drain, then a little for Redis to let go.
runService(
  'relay',
  log,
  () =>
    startRelay(
      {
        port: env.PORT,
        relayId,
        redisUrl: env.REDIS_URL,
        secret: sessionSecret(env.SESSION_SECRET, env.DATA_DIR),
        allowedOrigins: env.ALLOWED_ORIGINS,
        rateLimitFactor: env.RATE_LIMIT_FACTOR,
        joinTimeoutMs: env.JOIN_TIMEOUT_MS,
        drainSpreadMs: env.DRAIN_SPREAD_MS,
        drainDeadlineMs,
        tap: openTap(env.TAP, relayId),
      },
      log,
    ),
  drainDeadlineMs + 5_000,
);
