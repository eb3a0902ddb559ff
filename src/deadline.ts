/**
 * Waits for `work`, but no longer than `ms`: resolves to false when time ran out. For shutdown
 * steps that talk to a server that may be gone (a Redis command waits for a reconnect forever).
 */
export function within(ms: number, work: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  return Promise.race([
    work.then(
      () => true,
      () => true,
    ),
    late,
  ]).finally(() => clearTimeout(timer));
}
