/**
 * One call to lila-core's HTTP API as a client makes it: a JSON body, a Bearer token. The answer's
 * body is parsed as JSON when it is JSON, kept as text otherwise (PGN, say). With `timeoutMs`, a
 * server that does not answer in time rejects the call instead of hanging it.
 */
export async function callApi(
  httpUrl: string,
  o: { method: string; path: string; body?: unknown; token?: string; timeoutMs?: number },
): Promise<{ status: number; json: unknown; text: string }> {
  const res = await fetch(httpUrl + o.path, {
    method: o.method,
    headers: {
      ...(o.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
    },
    body: o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body),
    ...(o.timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(o.timeoutMs) }),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: res.status, json, text };
}
