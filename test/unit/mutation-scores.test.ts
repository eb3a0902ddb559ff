import { scoresByFolder } from '../../scripts/mutation/scores.js';

const mutants = (...statuses: string[]) => statuses.map((status) => ({ status }));

test('mutation score per folder: killed and timed out over all but compile errors and ignored', () => {
  const report = {
    files: {
      'ws-server/history.ts': { mutants: mutants('Killed', 'Survived', 'CompileError', 'Ignored') },
      'ws-server/outbox.ts': { mutants: mutants('Timeout', 'NoCoverage', 'Killed', 'Killed') },
      'src/token.ts': { mutants: mutants('Killed') },
    },
  };
  expect(scoresByFolder(report)).toEqual([
    { folder: 'src', detected: 1, undetected: 0, score: 100 },
    { folder: 'ws-server', detected: 4, undetected: 2, score: (100 * 4) / 6 },
  ]);
});
