import type { StandingPlayer } from '../../protocol/http.js';
import { entryFor, placeText } from '../../web/src/tournament/actions.js';
import { clampPage, pageCount, pageOfRank, rowsOf, sheetMarks } from '../../web/src/tournament/standings.js';

const player = (id: string, sheet: StandingPlayer['sheet'] = []): StandingPlayer => ({
  id,
  name: id.toUpperCase(),
  rating: 1500,
  score: sheet.reduce((s, e) => s + e.p, 0),
  fire: false,
  sheet,
});

describe('standings in pages of 10', () => {
  test.each([
    [0, 1],
    [1, 1],
    [10, 1],
    [11, 2],
    [1000, 100],
  ])('%i players fill %i page(s)', (n, pages) => expect(pageCount(n)).toBe(pages));

  test.each([
    [1, 1],
    [10, 1],
    [11, 2],
    [25, 3],
  ])('rank %i is on page %i', (rank, page) => expect(pageOfRank(rank)).toBe(page));

  test('a page asked past the last (players withdrew) or below the first is brought within', () => {
    expect(clampPage(5, 21)).toBe(3);
    expect(clampPage(0, 21)).toBe(1);
    expect(clampPage(2, 0)).toBe(1);
    expect(clampPage(2, 21)).toBe(2);
  });

  test("rows are ranked from the page, and the viewer's own row is marked", () => {
    const rows = rowsOf(3, [player('a'), player('b')], 'b');
    expect(rows.map((r) => [r.rank, r.player.id, r.mine])).toEqual([
      [21, 'a', false],
      [22, 'b', true],
    ]);
    expect(rowsOf(1, [player('a')], null)[0].mine).toBe(false);
  });
});

describe('a sheet', () => {
  test('shows each game in order by its points, doubled ones (on fire) and berserk ones marked', () => {
    const marks = sheetMarks([
      { g: 'g1', r: 'win', p: 2, fire: false, berserk: false },
      { g: 'g2', r: 'win', p: 2, fire: false, berserk: false },
      { g: 'g3', r: 'win', p: 5, fire: true, berserk: true },
      { g: 'g4', r: 'draw', p: 2, fire: true, berserk: false },
      { g: 'g5', r: 'loss', p: 0, fire: false, berserk: false },
      { g: 'g6', r: 'draw', p: 1, fire: false, berserk: false },
    ]);
    expect(marks.map((m) => m.text).join(' ')).toBe('2 2 5 2 0 1');
    expect(marks.map((m) => m.fire)).toEqual([false, false, true, true, false, false]);
    expect(marks[2].title).toBe('win, 5 points, on fire, berserk');
    expect(marks[5].title).toBe('draw, 1 point');
    expect(marks[4].result).toBe('loss');
  });
});

describe('the entry button', () => {
  const me = { id: 'ann', name: 'Ann', anonymous: false };
  const place = (withdrawn: boolean) => ({ rank: 3, withdrawn, game: null });

  test.each([
    ['a visitor', null, null, 'started', 'sign-in'],
    ['an anonymous player', { id: 'anon-x', name: 'Anonymous', anonymous: true }, null, 'created', 'sign-in'],
    ['an account not in it', me, null, 'created', 'join'],
    ['a player in it', me, place(false), 'started', 'withdraw'],
    ['a player who withdrew', me, place(true), 'started', 'rejoin'],
  ] as const)('for %s: %s', (_who, who, where, status, kind) => {
    expect(entryFor(who, where, status)?.kind).toBe(kind);
  });

  test('none once the arena is over, whoever looks', () => {
    expect(entryFor(me, place(false), 'finished')).toBeNull();
    expect(entryFor(null, null, 'finished')).toBeNull();
  });

  test('says where the viewer stands', () => {
    expect(placeText(null)).toBe('');
    expect(placeText(place(false))).toMatch(/play in this arena/);
    expect(placeText(place(true))).toMatch(/withdrawn/);
  });
});
