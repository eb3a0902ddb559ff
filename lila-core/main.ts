import { z } from 'zod';
import { commonEnv, loadConfig, port } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { sessionSecret } from '../src/secret.js';
import { startCore } from './core.js';

const env = loadConfig({
  ...commonEnv,
  PORT: port(9663),
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\/\S+$/, 'a mongodb:// URL').default('mongodb://127.0.0.1:27017/lila'),
  SESSION_TTL: z.coerce.number().int().min(60).default(30 * 24 * 3600),
});
const log = createLogger('core', env.LOG_LEVEL);

startCore(
  {
    port: env.PORT,
    redisUrl: env.REDIS_URL,
    mongoUrl: env.MONGO_URL,
    secret: sessionSecret(env.SESSION_SECRET, env.DATA_DIR),
    sessionTtlSeconds: env.SESSION_TTL,
  },
  log,
).then(
  (core) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'lila-core stopping');
      void core.close().then(() => process.exit(0));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    // Tells a supervising process (the local stack, the tests) that we are ready.
    process.send?.({ ready: true });
  },
  (err: Error) => {
    log.fatal({ err: err.message }, 'lila-core failed to start');
    process.exit(1);
  },
);
