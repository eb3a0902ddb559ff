import { z } from 'zod';
import { commonEnv, loadConfig, port } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { runService } from '../src/process.js';
import { sessionSecret } from '../src/secret.js';
import { openTap } from '../src/tap.js';
import { startCore } from './core.js';
import { ScryptN } from './users/passwords.js';

const env = loadConfig({
  ...commonEnv,
  PORT: port(9663),
  MONGO_URL: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/\S+$/, 'a mongodb:// URL')
    .default('mongodb://127.0.0.1:27017/lila'),
  CLOCK: z.enum(['system', 'manual']).default('system'),
  SESSION_TTL: z.coerce
    .number()
    .int()
    .min(60)
    .default(30 * 24 * 3600),
  TAP: z.string().optional(),
  SCRYPT_N: ScryptN,
  ADMINS: z
    .string()
    .regex(/^[A-Za-z0-9_,-]*$/, 'comma-separated user ids')
    .default('')
    .transform((s) => new Set(s.toLowerCase().split(',').filter(Boolean))),
});
const log = createLogger('core', env.LOG_LEVEL);

// Until it is started (it may wait long for its database), a stop has nothing to close: it exits.
const stopBeforeStart = (signal: NodeJS.Signals) => {
  log.info({ signal }, 'lila-core stopping before it started');
  process.exit(0);
};
process.once('SIGTERM', stopBeforeStart);
process.once('SIGINT', stopBeforeStart);

runService('lila-core', log, async () => {
  const core = await startCore(
    {
      port: env.PORT,
      clock: env.CLOCK,
      redisUrl: env.REDIS_URL,
      mongoUrl: env.MONGO_URL,
      secret: sessionSecret(env.SESSION_SECRET, env.DATA_DIR),
      sessionTtlSeconds: env.SESSION_TTL,
      scryptN: env.SCRYPT_N,
      admins: env.ADMINS,
      tap: openTap(env.TAP, 'core'),
    },
    log,
  );
  process.off('SIGTERM', stopBeforeStart);
  process.off('SIGINT', stopBeforeStart);
  return core;
});
