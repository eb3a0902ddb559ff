import { z } from 'zod';

/** Environment variables shared by every process, with their defaults. */
export const commonEnv = {
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'a redis:// URL')
    .default('redis://127.0.0.1:6379'),
  DATA_DIR: z.string().min(1).default('./data'),
  SESSION_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

export const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

/**
 * Reads and validates the environment. A bad value prints one line naming the variable,
 * and the process exits with status 2.
 */
export function loadConfig<T extends z.ZodRawShape>(
  shape: T,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<T>> {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = z.object(shape).safeParse(present);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const name = issue?.path.join('.') ?? '?';
  // Secrets are named, never shown.
  const value = /SECRET|PASSWORD|TOKEN/.test(name) ? undefined : env[name];
  console.error(`config: ${name}${value === undefined ? '' : `=${JSON.stringify(value)}`}: ${issue?.message}`);
  process.exit(2);
}
