import { sourceFiles } from '../../scripts/layout/files.js';
import { checkLayout, cyclesOf, MAX_PRODUCTION_LINES } from '../../scripts/layout/rules.js';
import { projectRoot } from '../../scripts/stack/services.js';

/** The layout rules hold over the whole tree, and each rule does catch what it forbids. */

test('the source tree follows every layout rule', () => {
  expect(checkLayout(sourceFiles(projectRoot))).toEqual([]);
});

const tree = (files: Record<string, string>) => new Map(Object.entries(files));

test('an import against the arrows is reported: runtime reaching into the core, the relay into tooling', () => {
  const violations = checkLayout(
    tree({
      'src/a.ts': "import { b } from '../lila-core/b.js';\n",
      'lila-core/b.ts': 'export const b = 1;\n',
      'ws-server/c.ts':
        "import type { S } from '../scripts/stack/services.js';\nimport { p } from '../protocol/p.js';\n",
      'protocol/p.ts': 'export const p = 1;\n',
    }),
  );
  expect(violations.map((v) => [v.file, v.rule])).toEqual([
    ['src/a.ts', 'import'],
    ['ws-server/c.ts', 'import'],
  ]);
});

test("the web UI's pages may use the socket client and the messages, not the servers' code", () => {
  const violations = checkLayout(
    tree({
      'web/src/page.ts':
        "import { createClient } from '../../client/index.js';\nimport type { G } from '../../protocol/game.js';\nimport './page.css';\n",
      'web/src/bad.ts': "import { toJson } from '../../lila-core/game/game.js';\n",
      'client/index.ts': 'export const createClient = 1;\n',
      'protocol/game.ts': 'export type G = 1;\n',
      'lila-core/game/game.ts': 'export const toJson = 1;\n',
    }),
  );
  expect(violations.map((v) => [v.file, v.rule])).toEqual([['web/src/bad.ts', 'import']]);
});

test('a loop between files is reported once, whichever folder it spans', () => {
  expect(
    cyclesOf(
      new Map([
        ['a', ['b']],
        ['b', ['c']],
        ['c', ['a']],
        ['d', ['a']],
      ]),
    ),
  ).toEqual([['a', 'b', 'c']]);
  const violations = checkLayout(
    tree({
      'scripts/x.ts': "import { y } from './y.js';\n",
      'scripts/y.ts': "import { x } from './x.js';\n",
    }),
  );
  expect(violations).toEqual([
    expect.objectContaining({ rule: 'cycle', message: expect.stringContaining('scripts/x.ts') }),
  ]);
});

test('a long production file and a hand-written JSON frame are reported; tooling may do both', () => {
  const long = 'const a = 1;\n'.repeat(MAX_PRODUCTION_LINES + 1);
  const stringify = "export const f = JSON.stringify({ t: 'x' });\n";
  const violations = checkLayout(
    tree({
      'lila-core/long.ts': long,
      'lila-core/exact.ts': 'const a = 1;\n'.repeat(MAX_PRODUCTION_LINES),
      'ws-server/frame.ts': stringify,
      'ws-server/literal.ts': 'const restart = \'{"t":"serverRestart"}\';\n',
      'scripts/long.ts': long + stringify,
    }),
  );
  expect(violations.map((v) => [v.file, v.rule])).toEqual([
    ['lila-core/long.ts', 'size'],
    ['ws-server/frame.ts', 'hand-written-json'],
    ['ws-server/literal.ts', 'hand-written-json'],
  ]);
});
