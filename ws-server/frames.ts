import { ClientAction, endpointActions, Ping, PING_TEXTS, type Endpoint } from '../protocol/client-in.js';
import type { ErrorCode } from '../protocol/client-out.js';

/** What a text frame from a browser means, decided once at the edge. */
export type Frame =
  { kind: 'ping' } | { kind: 'action'; action: ClientAction } | { kind: 'refused'; code: ErrorCode; message: string };

const [BARE_PING, PING] = PING_TEXTS;
const knownTypes = new Set<string>(ClientAction.options.map((o) => o.shape.t.value));

export function readFrame(text: string, endpoint: Endpoint): Frame {
  // Most frames are pings: answer them without building anything.
  // Stryker disable next-line ConditionalExpression,LogicalOperator: a shortcut; the parse below finds the same pings
  if (text === BARE_PING || text === PING) return { kind: 'ping' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'refused', code: 'bad_json', message: 'the frame is not valid JSON' };
  }
  // Stryker disable next-line ConditionalExpression: any JSON value but null reads `.t` alike (a number's is undefined)
  const type = typeof json === 'object' && json !== null ? (json as { t?: unknown }).t : undefined;
  // Only what may be a ping is parsed as one: a failed parse builds its issues, for every move.
  // Stryker disable next-line ConditionalExpression: a shortcut; Ping's own parse decides alike
  if ((json === null || type === 'p') && Ping.safeParse(json).success) return { kind: 'ping' };
  if (typeof type !== 'string')
    return { kind: 'refused', code: 'bad_message', message: 'a frame is {"t":<type>,"d":<data>}' };
  if (!knownTypes.has(type))
    return { kind: 'refused', code: 'unknown_type', message: `unknown message type "${type}"` };
  const action = ClientAction.safeParse(json);
  if (!action.success) {
    const issue = action.error.issues[0];
    // Stryker disable next-line OptionalChaining: a failed parse always has an issue
    return { kind: 'refused', code: 'bad_message', message: `${type}: ${issue?.path.join('.')}: ${issue?.message}` };
  }
  if (!endpointActions[endpoint].has(action.data.t))
    return { kind: 'refused', code: 'not_allowed_here', message: `"${type}" is not accepted on /${endpoint}` };
  return { kind: 'action', action: action.data };
}
