import type { TemplatedApp } from 'uWebSockets.js';
import { isGameRoom } from '../protocol/channels.js';
import type { Audience } from '../protocol/core-out.js';
import type { Tap } from '../src/tap.js';
import { roleTopic, ROLES, sees, skipFrame } from './audience.js';
import type { RelayMetrics } from './metrics.js';
import type { Rooms } from './rooms.js';
import type { Socket } from './socket-data.js';

/**
 * Everything the relay sends to browsers: to one socket, or published to a uWS topic. Both go
 * through here, so that the metrics and the tap see every frame.
 */
export function createFanOut(o: { app: TemplatedApp; rooms: Rooms; metrics: RelayMetrics; tap?: Tap }) {
  const { app, rooms, metrics, tap } = o;
  // Bound once: a labelled inc() hashes its labels at every frame.
  const toSocket = metrics.framesOut.labels('socket');
  const toTopic = metrics.framesOut.labels('topic');

  const send = (ws: Socket, frame: string | Buffer): void => {
    ws.send(frame, false);
    toSocket.inc();
    tap?.({ dir: 'out', sid: ws.getUserData().sid, raw: frame.toString() });
  };

  const publish = (topic: string, frame: string | Buffer): void => {
    app.publish(topic, frame, false);
    toTopic.inc();
    tap?.({ dir: 'topic', topic, raw: frame.toString() });
  };

  /**
   * One parse, at most one publish per role: uWS copies the same bytes to every socket of the topic.
   * A game event goes in full to the roles of its audience, untouched, and to the other roles as its
   * version alone; it is kept in the room's history first, for sockets that open or come back.
   */
  const toRoom = (room: string, header: { v?: number; to?: Audience }, frame: Buffer): void => {
    const { v, to } = header;
    // Kept past this callback: copied, as a view would hold the whole read chunk of the socket.
    if (v !== undefined) rooms.history(room)?.add({ v, to, frame: Buffer.from(frame) });
    if (!isGameRoom(room)) return publish(room, frame);
    // The crowd: a socket opening after it was published would otherwise wait for the next one.
    if (v === undefined) rooms.keepLatest(room, frame);
    let skip: string | undefined;
    for (const role of ROLES) {
      const topic = roleTopic(room, role);
      // Often nobody of a role is on this relay (no spectator, one player): no publish for them.
      if (!app.numSubscribers(topic)) continue;
      publish(topic, v === undefined || sees(role, to) ? frame : (skip ??= skipFrame(v)));
    }
  };

  return { send, publish, toRoom };
}
export type FanOut = ReturnType<typeof createFanOut>;
