import type { Color } from '../protocol/game.js';

/** With 200: the `state` frame at version `v`, and the side the socket plays (none: a spectator). */
export type JoinAnswer = { status: 200 | 403 | 404 | 504; frame?: Buffer; color?: Color; v?: number };

/**
 * Join requests awaiting lila-core's answer on the relay channel, by socket id. No answer within
 * `timeoutMs`, or a request nobody heard, is a 504.
 */
export function createJoins<S>(timeoutMs: number) {
  const pending = new Map<string, { settle: (answer: JoinAnswer) => void; socket: S }>();
  /**
   * Frames lila-core sent an admitted socket after its answer and before it opened: the answer and
   * they often come in one read from Redis, all handled before the upgrade goes on, when the socket
   * is not yet there to take them. Held until the upgrade releases them (upgrade.ts).
   */
  const held = new Map<string, Buffer[]>();

  return {
    /**
     * Sends the request with `ask` (resolving to whether lila-core got it), then waits for the
     * answer; `socket` describes it meanwhile (`waiting`).
     */
    join(sid: string, socket: S, ask: () => Promise<boolean>): Promise<JoinAnswer> {
      return new Promise((resolve) => {
        const timer = setTimeout(() => settle({ status: 504 }), timeoutMs);
        const settle = (answer: JoinAnswer) => {
          clearTimeout(timer);
          pending.delete(sid);
          resolve(answer);
        };
        pending.set(sid, { settle, socket });
        ask().then(
          (delivered) => delivered || settle({ status: 504 }),
          () => settle({ status: 504 }),
        );
      });
    },

    /** lila-core's answer; one for a socket no longer waiting (too late) is dropped. */
    answer(sid: string, answer: JoinAnswer): void {
      const waiting = pending.get(sid);
      if (!waiting) return;
      if (answer.status === 200) held.set(sid, []);
      waiting.settle(answer);
    },

    /** A frame for an admitted socket not yet open: held (true), or not one (false). */
    hold(sid: string, frame: Buffer): boolean {
      const frames = held.get(sid);
      frames?.push(frame);
      return frames !== undefined;
    },

    /** The upgrade went on after the answer: the frames held for the socket, no longer held. */
    release(sid: string): Buffer[] {
      const frames = held.get(sid) ?? [];
      held.delete(sid);
      return frames;
    },

    /** The sockets whose join awaits its answer: lila-core may count them already. */
    waiting(): S[] {
      return [...pending.values()].map((p) => p.socket);
    },
  };
}
