import { explain, match, substitute, type Vars } from '../../scripts/fixtures/pattern.js';

const vars = (): Vars =>
  new Map<string, unknown>([
    ['game', { id: 'abcd1234' }],
    ['alice', { id: 'alice', name: 'Alice' }],
  ]);

describe('substitute', () => {
  test('a whole-string variable keeps its type; inside a string it is spliced in', () => {
    const v = vars();
    expect(substitute({ id: '$game', path: '/play/$game.id', who: '$alice.name' }, v)).toEqual({
      id: { id: 'abcd1234' },
      path: '/play/abcd1234',
      who: 'Alice',
    });
  });
  test('$$ is a literal dollar, and matchers are left for match', () => {
    expect(substitute(['costs $$5', '$number', '$re:^a$', '$=x'], vars())).toEqual([
      'costs $5',
      '$number',
      '$re:^a$',
      '$=x',
    ]);
  });
  test('an unknown variable or path is an error that names it', () => {
    expect(() => substitute('$bob.id', vars())).toThrow('unknown variable $bob.id');
    expect(() => substitute('$alice.rating', vars())).toThrow('variable $alice.rating has no value');
  });
});

describe('match', () => {
  test('exact values, and objects with exactly the pattern keys', () => {
    expect(match({ t: 'move', v: 1 }, { t: 'move', v: 1 }, vars())).toEqual([]);
    expect(match({ t: 'move' }, { t: 'move', v: 1 }, vars())).toEqual([
      { path: 'v', expected: 'nothing', actual: '1' },
    ]);
    expect(match({ t: 'move', v: 1 }, { t: 'move' }, vars())).toEqual([
      { path: 'v', expected: '1', actual: 'nothing' },
    ]);
  });
  test('matchers accept what legitimately varies, and refuse the rest', () => {
    const p = { n: '$number', s: '$string', b: '$boolean', a: '$any', gone: '$absent', r: '$re:^[a-h][1-8]$' };
    expect(match(p, { n: 12.5, s: 'x', b: false, a: null, r: 'e4' }, vars())).toEqual([]);
    expect(match(p, { n: '12', s: 1, b: 'no', gone: 1, r: 'e9' }, vars())).toEqual([
      { path: 'n', expected: 'a number', actual: '"12"' },
      { path: 's', expected: 'a string', actual: '1' },
      { path: 'b', expected: 'true or false', actual: '"no"' },
      { path: 'a', expected: '$any', actual: 'nothing' },
      { path: 'gone', expected: 'absent', actual: '1' },
      { path: 'r', expected: 'a string matching /^[a-h][1-8]$/', actual: '"e9"' },
    ]);
  });
  test('arrays compare length and every item', () => {
    expect(match(['e4', 'e5'], ['e4', 'e6', 'Nf3'], vars())).toEqual([
      { path: '.length', expected: '2', actual: '3' },
      { path: '[1]', expected: '"e5"', actual: '"e6"' },
    ]);
  });
  test('a capture is kept only when the whole pattern matched', () => {
    const v = vars();
    expect(match({ id: '$=challenge', ok: true }, { id: 'c1', ok: false }, v)).toHaveLength(1);
    expect(v.has('challenge')).toBe(false);
    expect(match({ id: '$=challenge', ok: true }, { id: 'c1', ok: true }, v)).toEqual([]);
    expect(v.get('challenge')).toBe('c1');
  });
});

test('explain lists each difference, then both values', () => {
  const expected = { t: 'move', d: { san: 'Qh4+' } };
  const actual = { t: 'move', d: { san: 'Qh4#' } };
  expect(explain(match(expected, actual, vars()), expected, actual)).toBe(
    [
      '  at d.san: expected "Qh4+", got "Qh4#"',
      '  expected: {"t":"move","d":{"san":"Qh4+"}}',
      '  actual:   {"t":"move","d":{"san":"Qh4#"}}',
    ].join('\n'),
  );
});
