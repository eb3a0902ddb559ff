import { encodeFrame } from '../protocol/client-out.js';
import type { KeptEvent } from '../protocol/core-out.js';
import { sees, skipFrame, type Role } from './audience.js';
import type { History } from './history.js';

/** Tells a socket whose `?v=` cannot be served that a whole new state follows. */
const RESYNC = encodeFrame({ t: 'resync' });

/** An event as a socket of `role` receives it: in full, or its version alone. */
export const frameFor = (role: Role, event: KeptEvent<Buffer>): Buffer | string =>
  sees(role, event.to) ? event.frame : skipFrame(event.v);

/**
 * The frames a /play or /watch socket gets when it opens, before its role's topic takes over.
 * `state` is lila-core's answer to the join, at version `stateV`; `asked` is the socket's `?v=`,
 * the last version it has. Events published after the join answer and before the open are in the
 * history only, so they are sent here; later ones come through the topic. Undefined when no
 * contiguous sequence can be made (more events came in meanwhile than the history keeps).
 */
export function catchUp(o: {
  role: Role;
  state: Buffer;
  stateV: number | undefined;
  asked: number | undefined;
  history: History | undefined;
}): (Buffer | string)[] | undefined {
  const { role, state, stateV, asked, history } = o;
  // A lila-core that does not say the state's version: the state alone, as it always was.
  if (stateV === undefined || !history) return [state];
  const latest = Math.max(stateV, history.last ?? stateV);
  // Stryker disable next-line ConditionalExpression: a socket ahead of `latest` gets nothing from since() that ends there
  if (asked !== undefined && asked <= latest) {
    const missed = history.since(asked);
    // Served from the history only if it leads all the way to the latest version known here.
    if (missed && (missed.at(-1)?.v ?? asked) === latest) return missed.map((e) => frameFor(role, e));
  }
  const after = history.since(stateV);
  if (!after) return undefined;
  return [...(asked === undefined ? [] : [RESYNC]), state, ...after.map((e) => frameFor(role, e))];
}
