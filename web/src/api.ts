import type { ApiAnswer } from './context.js';

/**
 * The JSON API on this origin (nginx passes /api/ to lila-core). The `session` cookie, HttpOnly,
 * authenticates every call: the page never holds the token. A network failure answers status 0,
 * so that pages show one kind of failure.
 */
export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> {
  try {
    const res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : null) as T };
  } catch {
    // Offline, or a body that is not JSON (nginx's own error page): the caller sees status 0.
    return { status: 0, json: null as T };
  }
}

/** The message of an API error answer (`{"error":{"code","message"}}`), or a generic one. */
export function errorMessage(answer: ApiAnswer<unknown>): string {
  const error = (answer.json as { error?: { message?: string } } | null)?.error;
  if (answer.status === 0) return 'The server cannot be reached; try again.';
  return error?.message ?? `The server answered ${answer.status}.`;
}
