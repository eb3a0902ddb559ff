import { api } from './api.js';
import type { ApiAnswer, Me } from './context.js';

/**
 * Who this page is. The API keeps the session in the HttpOnly `session` cookie, so the page asks
 * `GET /api/session` once at start, and takes the user from the answer of a sign-in.
 */
type UserAnswer = { user: { id: string; name: string } };

const toMe = (user: { id: string; name: string }): Me => ({ ...user, anonymous: user.id.startsWith('anon-') });

/** The session of the cookie, or null (no cookie, expired, revoked). */
export async function loadMe(): Promise<Me> {
  const answer = await api<UserAnswer>('GET', '/api/session');
  return answer.status === 200 ? toMe(answer.json.user) : null;
}

export type SignIn = { ok: true; me: Me } | { ok: false; answer: ApiAnswer<unknown> };

const opened = (answer: ApiAnswer<UserAnswer>): SignIn =>
  answer.status === 201 ? { ok: true, me: toMe(answer.json.user) } : { ok: false, answer };

export const signIn = async (name: string, password: string): Promise<SignIn> =>
  opened(await api<UserAnswer>('POST', '/api/session', { name, password }));

export const playAnonymously = async (): Promise<SignIn> => opened(await api<UserAnswer>('POST', '/api/session', {}));

/** Makes the account, then signs in with it. */
export async function signUp(name: string, password: string): Promise<SignIn> {
  const made = await api('POST', '/api/account', { name, password });
  return made.status === 201 ? signIn(name, password) : { ok: false, answer: made };
}

/** Revokes the session everywhere (relays close its sockets) and clears the cookie. */
export async function signOut(): Promise<void> {
  await api('DELETE', '/api/session');
}

type SessionListener = (me: Me, path: string) => void;
let listener: SessionListener = () => {};

/** The shell (main.ts) listens: a new session rebuilds the page, whose sockets then carry the new cookie. */
export const onSessionChange = (l: SessionListener): void => void (listener = l);

/** A page opened or closed a session: show `path` as `me`. */
export const sessionChanged = (me: Me, path: string): void => listener(me, path);
