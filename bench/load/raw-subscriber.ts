import { Redis } from 'ioredis';
import { ArrivalClock } from './resp-flood.js';

/**
 * One ioredis subscriber and nothing else, as lila-core subscribes to `site-in` (the `message`
 * event, each message a string): the ceiling of Redis pub/sub into one Node process, which the
 * site-in scenario sets beside lila-core's. Run pinned to the server core:
 * `node raw-subscriber.js <redisUrl> <channel> <count>`. Prints `raw subscriber ready` once
 * subscribed, then, once `count` messages came (or 20 s passed without one), one JSON line:
 * `{"received":n,"rate":r}`, messages per second from the first to the last, and waits to be stopped.
 */
const [redisUrl, channel, countText] = process.argv.slice(2);
const count = Number(countText);
const redis = new Redis(redisUrl, { lazyConnect: true });
const clock = new ArrivalClock();
let idle: NodeJS.Timeout | undefined;

/** Said once; the process stays (its CPU time is read before the scenario stops it). */
let reported = false;
const report = () => {
  if (reported) return;
  reported = true;
  clearTimeout(idle);
  console.log(JSON.stringify({ received: clock.count, rate: clock.rate }));
};
const wait = () => {
  clearTimeout(idle);
  idle = setTimeout(report, 20_000);
};

redis.on('message', (_channel: string, message: string) => {
  if (message.length === 0) return;
  clock.hit();
  if (clock.count === 1 || clock.count % 10_000 === 0) wait();
  if (clock.count >= count) report();
});
await redis.connect();
await redis.subscribe(channel);
wait();
console.log('raw subscriber ready');
