import { ok, refuse, type Refusal } from '../result.js';

/**
 * Chat limits per user, across all their sockets, relays and games (each relay limits a socket;
 * only lila-core sees a user's every tab). After lichess's flood rule, five lines in any ten
 * seconds: a token bucket of CHAT_BURST lines refilled one per CHAT_REFILL_MS. Nobody typing
 * reaches it; a script does at once. A line identical (case aside) to one of the user's last
 * two within REPEAT_WINDOW_MS is cut too, as lichess does, without costing a token. A refused
 * line costs nothing either: a flood does not push the user's next line further away.
 *
 * A refusal is told (`rate_limited`) at most once per TELL_EVERY_MS per user, as relays do: each
 * answer is a Redis write, and a flood answered line by line would cost lila-core as much as it.
 */
export const CHAT_BURST = 5;
export const CHAT_REFILL_MS = 2_000;
export const REPEAT_WINDOW_MS = 60_000;
/** Users held at most; past it the one who talked least recently is forgotten (a fresh bucket). */
export const MAX_CHATTERS = 100_000;
/** How often users idle long enough to be as good as new are dropped. */
const SWEEP_EVERY_MS = 60_000;
const IDLE_MS = Math.max(REPEAT_WINDOW_MS, CHAT_BURST * CHAT_REFILL_MS);
export const TELL_EVERY_MS = 1_000;

type Chatter = { tokens: number; at: number; said: string[]; saidAt: number; toldAt: number };
/** A refused line; `quiet`: the user was told less than TELL_EVERY_MS ago, say nothing. */
export type ChatRefusal = Refusal & { quiet: boolean };

export function createChatFlood(o: { maxChatters?: number } = {}) {
  const maxChatters = o.maxChatters ?? MAX_CHATTERS;
  /** In order of each user's latest line: the first is the least recent. */
  const chatters = new Map<string, Chatter>();
  let sweptAt = -Infinity;

  const sweep = (now: number) => {
    sweptAt = now;
    for (const [user, chatter] of chatters) if (now - chatter.saidAt >= IDLE_MS) chatters.delete(user);
  };

  return {
    /** Whether `user` may say `text` at `now`; an accepted line is counted. */
    check(user: string, text: string, now: number): { ok: true } | ChatRefusal {
      if (now - sweptAt >= SWEEP_EVERY_MS) sweep(now);
      const line = text.toLowerCase();
      const chatter = chatters.get(user) ?? {
        tokens: CHAT_BURST,
        at: now,
        said: [],
        saidAt: -Infinity,
        toldAt: -Infinity,
      };
      const refused = (message: string): ChatRefusal => {
        const quiet = now - chatter.toldAt < TELL_EVERY_MS;
        if (!quiet) chatter.toldAt = now;
        return { ...refuse('rate_limited', message), quiet };
      };
      if (now - chatter.saidAt < REPEAT_WINDOW_MS && chatter.said.includes(line)) return refused('you just said that');
      const tokens = Math.min(CHAT_BURST, chatter.tokens + Math.max(0, now - chatter.at) / CHAT_REFILL_MS);
      if (tokens < 1) return refused('too many chat lines; wait a few seconds');
      chatters.delete(user);
      const said = [line, ...chatter.said].slice(0, 2);
      chatters.set(user, { tokens: tokens - 1, at: now, said, saidAt: now, toldAt: chatter.toldAt });
      if (chatters.size > maxChatters) chatters.delete(chatters.keys().next().value!);
      return ok(true as const);
    },

    /** Users held. */
    get size(): number {
      return chatters.size;
    },
  };
}
export type ChatFlood = ReturnType<typeof createChatFlood>;
