import { createSerial, QueueFull } from '../../lila-core/serial.js';

/** One game's actions run one at a time; the queue a hostile client can fill is bounded (issue #13). */

/** A task that runs until `release()`. */
function blocker() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  return { task: () => released, release };
}

test('tasks of one key run one after another, in order; other keys run beside them', async () => {
  const serial = createSerial();
  const ran: string[] = [];
  const gate = blocker();
  const first = serial('g1', async () => {
    await gate.task();
    ran.push('g1:a');
  });
  const second = serial('g1', () => Promise.resolve(ran.push('g1:b')));
  await serial('g2', () => Promise.resolve(ran.push('g2:a')));
  expect(ran).toEqual(['g2:a']);
  gate.release();
  await Promise.all([first, second]);
  expect(ran).toEqual(['g2:a', 'g1:a', 'g1:b']);
});

test('past the bound, a bounded task is refused at once (QueueFull) and never runs; the queue goes on', async () => {
  const serial = createSerial(3);
  const gate = blocker();
  const ran: number[] = [];
  const queued = [0, 1, 2].map((i) =>
    serial(
      'g1',
      async () => {
        if (i === 0) await gate.task();
        ran.push(i);
      },
      { bounded: true },
    ),
  );
  const refused = serial('g1', () => Promise.resolve(ran.push(3)), { bounded: true });
  await expect(refused).rejects.toBeInstanceOf(QueueFull);
  expect(serial.pending('g1')).toBe(3);
  // Another game is not held back by this one's queue.
  await expect(serial('g2', () => Promise.resolve('ok'), { bounded: true })).resolves.toBe('ok');
  gate.release();
  await Promise.all(queued);
  expect(ran).toEqual([0, 1, 2]);
  // Drained: room again, and nothing left behind for the key.
  await expect(serial('g1', () => Promise.resolve('again'), { bounded: true })).resolves.toBe('again');
  expect(serial.pending('g1')).toBe(0);
  expect(serial.keys()).toBe(0);
});

test('lila-core’s own tasks (timers, presence) are never refused, and count toward the bound', async () => {
  const serial = createSerial(2);
  const gate = blocker();
  const own = [serial('g1', gate.task), serial('g1', () => Promise.resolve(1)), serial('g1', () => Promise.resolve(2))];
  await expect(serial('g1', () => Promise.resolve(3), { bounded: true })).rejects.toBeInstanceOf(QueueFull);
  gate.release();
  await expect(Promise.all(own)).resolves.toEqual([undefined, 1, 2]);
});

test('a failing task fails its caller alone', async () => {
  const serial = createSerial();
  const failed = serial('g1', () => Promise.reject(new Error('boom')));
  const next = serial('g1', () => Promise.resolve('fine'));
  await expect(failed).rejects.toThrow('boom');
  await expect(next).resolves.toBe('fine');
});

test('tasks counts what is queued or running on every key, back to 0 once all are done (a failure included)', async () => {
  const serial = createSerial();
  const gate = blocker();
  const done = [
    serial('g1', gate.task),
    serial('g1', () => Promise.reject(new Error('refused'))).catch(() => undefined),
    serial('g2', gate.task),
  ];
  expect(serial.tasks()).toBe(3);
  expect(serial.keys()).toBe(2);
  gate.release();
  await Promise.all(done);
  // The count drops once each task's queue has seen it end: a turn after the task itself.
  await new Promise((resolve) => setImmediate(resolve));
  expect(serial.tasks()).toBe(0);
  expect(serial.keys()).toBe(0);
});
