/** A JSON call to an HTTP API, failing loudly on an unexpected status. */
export async function callJson<T = Record<string, unknown>>(
  url: string,
  o: { method?: string; body?: unknown; token?: string; expect?: number } = {},
): Promise<T> {
  const res = await fetch(url, {
    method: o.method ?? (o.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(o.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
    },
    body: o.body === undefined ? undefined : JSON.stringify(o.body),
  });
  const text = await res.text();
  if (res.status !== (o.expect ?? 200)) throw new Error(`${o.method ?? 'GET'} ${url}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Runs `task(i)` for i in [0, count) with at most `width` at once; the results in order. */
export async function inBatches<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      out[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, lane));
  return out;
}
