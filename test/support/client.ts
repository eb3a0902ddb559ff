import { connect as connectSocket, type Client } from '../../src/fixtures/socket.js';

/**
 * The tests' WebSocket client is the fixture runner's. Tests follow the game and leave `crowd`
 * aside (its timing is the wall clock's) unless they ask for it with `ignore` empty.
 */
export * from '../../src/fixtures/socket.js';

export const connect = (
  url: string,
  headers: Record<string, string> = {},
  ignore: ReadonlySet<string> = new Set(['crowd']),
): Promise<Client> => connectSocket(url, headers, ignore);
