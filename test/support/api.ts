import { callApi } from '../../scripts/http-call.js';
import { randomBytes } from 'node:crypto';
import type { GameJson } from '../../protocol/game.js';
import type { Stack } from '../../scripts/stack/stack.js';

/** The HTTP API, as a browser would use it. */
export type User = { id: string; name: string; token: string };

export async function call(stack: Stack, method: string, path: string, body?: unknown, token?: string) {
  const answer = await callApi(stack.httpUrl, { method, path, body, token });
  // A body that is not JSON reads as undefined here, as the tests expect.
  const json = typeof answer.json === 'string' ? undefined : answer.json;
  return { status: answer.status, json: json as Record<string, any>, text: answer.text };
}

export const uniqueName = (prefix: string) => `${prefix}${randomBytes(4).toString('hex')}`.slice(0, 20);

export async function newUser(stack: Stack, prefix = 'u'): Promise<User> {
  const name = uniqueName(prefix);
  const created = await call(stack, 'POST', '/api/account', { name, password: 'hunter22' });
  if (created.status !== 201) throw new Error(`account: ${created.text}`);
  const session = await call(stack, 'POST', '/api/session', { name, password: 'hunter22' });
  return { ...session.json.user, token: session.json.token };
}

/** `white` challenges `black` (as white) and `black` accepts: the challenge as made, and the game's id. */
export async function acceptedChallenge(
  stack: Stack,
  white: User,
  black: User,
  o: { clock?: { limit: number; increment: number }; rated?: boolean } = {},
): Promise<{ challenge: Record<string, any>; gameId: string }> {
  const body = { clock: o.clock ?? { limit: 300, increment: 3 }, color: 'white', ...(o.rated && { rated: true }) };
  const challenge = await call(stack, 'POST', `/api/challenge/${black.id}`, body, white.token);
  if (challenge.status !== 201) throw new Error(`challenge: ${challenge.text}`);
  const accepted = await call(stack, 'POST', `/api/challenge/${challenge.json.challenge.id}/accept`, {}, black.token);
  if (accepted.status !== 201) throw new Error(`accept: ${accepted.text}`);
  return { challenge: challenge.json.challenge, gameId: accepted.json.game.id as string };
}

/** `white` challenges `black` (as white) and `black` accepts: the new game's id. */
export const newGame = async (
  stack: Stack,
  white: User,
  black: User,
  clock = { limit: 300, increment: 3 },
): Promise<string> => (await acceptedChallenge(stack, white, black, { clock })).gameId;

export async function getGame(stack: Stack, id: string): Promise<GameJson> {
  const res = await call(stack, 'GET', `/api/game/${id}`);
  if (res.status !== 200) throw new Error(`game: ${res.text}`);
  return res.json as GameJson;
}
