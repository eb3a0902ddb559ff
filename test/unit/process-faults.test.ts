import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import pino from 'pino';
import { exitOnFault } from '../../src/process.js';

/** The handlers on a fake process: what they log, and the status they exit with. */
function installed() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const proc = new EventEmitter();
  const exits: number[] = [];
  exitOnFault(pino({ base: { proc: 'core' } }, sink), proc, (code) => exits.push(code));
  return { proc, lines, exits };
}

test('an exception nobody caught is logged with its stack, and the process exits with 1', async () => {
  const { proc, lines, exits } = installed();
  proc.emit('uncaughtException', new TypeError('boom in a callback'), 'uncaughtException');
  await new Promise(setImmediate);
  expect(exits).toEqual([1]);
  expect(lines).toEqual([
    expect.objectContaining({
      level: 60,
      proc: 'core',
      fault: 'uncaughtException',
      err: 'boom in a callback',
      stack: expect.stringContaining('TypeError: boom in a callback'),
    }),
  ]);
});

test('a rejection nobody handled is logged and exits with 1, whatever was thrown', async () => {
  const { proc, lines, exits } = installed();
  proc.emit('unhandledRejection', 'not even an Error', Promise.resolve());
  await new Promise(setImmediate);
  expect(exits).toEqual([1]);
  expect(lines[0]).toMatchObject({ level: 60, fault: 'unhandledRejection', err: 'not even an Error' });
});
