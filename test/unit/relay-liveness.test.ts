import { createRelayLiveness, RELAY_SILENCE_MS } from '../../lila-core/relay-liveness.js';

/** Liveness on a settable wall clock, recording every boot that ends and every restart. */
const setup = () => {
  let wall = 1_000_000;
  const liveness = createRelayLiveness(() => wall);
  const ended: string[] = [];
  const restarted: string[] = [];
  liveness.onEnded((relay, boot) => ended.push(`${relay}/${boot}`));
  liveness.onRestarted((relay, boot) => restarted.push(`${relay}/${boot}`));
  return { liveness, ended, restarted, pass: (ms: number) => (wall += ms) };
};

describe('lila-core: relay liveness', () => {
  test('a relay silent for the timeout ends; one heard from in time is kept', () => {
    const { liveness, ended, pass } = setup();
    liveness.heard('r1', 'b1');
    liveness.heard('r2', 'b2');
    pass(RELAY_SILENCE_MS - 1);
    liveness.heard('r2', 'b2');
    liveness.sweep();
    expect(ended).toEqual([]);
    pass(1);
    liveness.sweep();
    expect(ended).toEqual(['r1/b1']);
    liveness.sweep();
    expect(ended).toEqual(['r1/b1']);
  });

  test('a new boot ends the one before, at once, and is a restart', () => {
    const { liveness, ended, restarted } = setup();
    liveness.heard('r1', 'b1');
    liveness.heard('r1', 'b2');
    expect(ended).toEqual(['r1/b1']);
    expect(restarted).toEqual(['r1/b2']);
  });

  test('a relay first heard is no restart', () => {
    const { liveness, ended, restarted } = setup();
    liveness.heard('r1', 'b1');
    liveness.heard('r2', 'b1');
    expect([ended, restarted]).toEqual([[], []]);
  });

  test('back after its boot ended: the same boot is alive again; a new one is a restart, ending nothing more', () => {
    const { liveness, ended, restarted, pass } = setup();
    liveness.heard('r1', 'b1');
    liveness.heard('r2', 'b1');
    pass(RELAY_SILENCE_MS);
    liveness.sweep();
    liveness.heard('r1', 'b1');
    liveness.heard('r2', 'b2');
    expect(ended).toEqual(['r1/b1', 'r2/b1']);
    expect(restarted).toEqual(['r2/b2']);
    pass(RELAY_SILENCE_MS);
    liveness.sweep();
    expect(ended).toEqual(['r1/b1', 'r2/b1', 'r1/b1', 'r2/b2']);
  });
});
