import type { Frame } from '../../client/index.js';
import { nextGameOf } from '../../web/src/game/next-game.js';

const player = { gameId: 'game0001', player: true };
const spectator = { gameId: 'game0001', player: false };
const onUserChannel = (id: string): Frame => ({ t: 'redirect', d: { id } });

describe("the game a player's page goes to on its own", () => {
  it("goes to the game a redirect on the user's channel names: the arena's next pairing", () => {
    expect(nextGameOf(onUserChannel('game0002'), player)).toBe('game0002');
  });

  it("stays for a spectator: the watcher's channel is not this game's players'", () => {
    expect(nextGameOf(onUserChannel('game0002'), spectator)).toBeNull();
  });

  it('stays on a redirect to this very game (the page is there already)', () => {
    expect(nextGameOf(onUserChannel('game0001'), player)).toBeNull();
  });

  it("leaves the room's versioned redirect (the rematch) to the view", () => {
    expect(nextGameOf({ t: 'redirect', v: 7, d: { id: 'game0002' } }, player)).toBeNull();
  });

  it('ignores every other frame', () => {
    const others: Frame[] = [{ t: 'crowd', d: { white: true, black: true, watchers: 0 } }, { v: 3 }];
    for (const frame of others) expect(nextGameOf(frame, player)).toBeNull();
  });
});
