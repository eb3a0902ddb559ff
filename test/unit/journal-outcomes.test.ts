import { MongoBulkWriteError } from 'mongodb';
import { outcomes } from '../../lila-core/game/journal.js';

/**
 * Which entries of a failed batch are saved (journal.ts). Before issue #14, a bulk-write error with
 * no write errors (a write concern not met) counted every entry saved, and any other error counted
 * every entry failed though the server may have committed them: both are doubts now.
 */
const bulkError = (o: { refused?: number[]; inserted: number; concern?: boolean }) =>
  Object.assign(Object.create(MongoBulkWriteError.prototype) as MongoBulkWriteError, {
    writeErrors: (o.refused ?? []).map((index) => ({ index, errmsg: 'E11000 duplicate key' })),
    result: { insertedCount: o.inserted, getWriteConcernError: () => (o.concern ? { code: 64 } : undefined) },
  });

test('refused entries are refused and the others saved, when the server accounts for every one', () => {
  expect(outcomes(bulkError({ refused: [1], inserted: 2 }), 3)).toEqual(['saved', 'refused', 'saved']);
});

test('a write concern not met leaves every entry not refused in doubt', () => {
  expect(outcomes(bulkError({ inserted: 3, concern: true }), 3)).toEqual(['unknown', 'unknown', 'unknown']);
  expect(outcomes(bulkError({ refused: [0], inserted: 1, concern: true }), 2)).toEqual(['refused', 'unknown']);
});

test('entries the server does not account for, or any other error, are in doubt', () => {
  expect(outcomes(bulkError({ refused: [0], inserted: 0 }), 2)).toEqual(['refused', 'unknown']);
  expect(outcomes(new Error('connection reset'), 2)).toEqual(['unknown', 'unknown']);
});
