import { randomBytes } from 'node:crypto';
import { GameJson } from '../../protocol/game.js';
import { signToken } from '../../src/token.js';
import { callApi } from '../http-call.js';

/** The HTTP API as the fuzzer's players use it: sessions, challenges accepted at once, games read back. */
export type Player = { id: string; name: string; token: string };

export class Api {
  constructor(readonly httpUrl: string) {}

  /** lila-core not answering within 15 s is itself a finding, not a reason to hang. */
  call(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: unknown }> {
    return callApi(this.httpUrl, { method, path, body, token, timeoutMs: 15_000 });
  }

  private async session(body: object): Promise<Player> {
    const res = await this.call('POST', '/api/session', body);
    const { token, user } = res.json as { token?: string; user?: { id: string; name: string } };
    if (res.status !== 201 || !token || !user) throw new Error(`session: ${res.status} ${JSON.stringify(res.json)}`);
    return { ...user, token };
  }

  anonymous(): Promise<Player> {
    return this.session({});
  }

  /** An account with a fresh name (`prefix` and random hex), signed in. */
  async account(prefix: string): Promise<Player> {
    const name = `${prefix}${randomBytes(5).toString('hex')}`.slice(0, 20);
    const created = await this.call('POST', '/api/account', { name, password: 'fuzz-password' });
    if (created.status !== 201) throw new Error(`account: ${created.status} ${JSON.stringify(created.json)}`);
    return this.session({ name, password: 'fuzz-password' });
  }

  /** `white` challenges `black` to play white, `black` accepts: the new game's id. */
  async game(white: Player, black: Player, clock: { limit: number; increment: number }): Promise<string> {
    const made = await this.call('POST', `/api/challenge/${black.id}`, { clock, color: 'white' }, white.token);
    const challenge = (made.json as { challenge?: { id: string } }).challenge;
    if (made.status !== 201 || !challenge) throw new Error(`challenge: ${made.status} ${JSON.stringify(made.json)}`);
    const accepted = await this.call('POST', `/api/challenge/${challenge.id}/accept`, {}, black.token);
    const game = (accepted.json as { game?: { id: string } }).game;
    if (accepted.status !== 201 || !game)
      throw new Error(`accept: ${accepted.status} ${JSON.stringify(accepted.json)}`);
    return game.id;
  }

  async gameJson(id: string): Promise<GameJson> {
    const res = await this.call('GET', `/api/game/${id}`);
    if (res.status !== 200) throw new Error(`game ${id}: ${res.status} ${JSON.stringify(res.json)}`);
    return GameJson.parse(res.json);
  }
}

/** A well-formed token signed with another secret: the relay must refuse it (401). */
export const forgedToken = (userId: string): string =>
  signToken('not-the-secret-0123456789-abcdefghijkl', {
    userId,
    name: userId,
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
  });
