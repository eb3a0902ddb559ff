import { SITE_FIGURES } from '../../src/fixtures/format.js';
import { connect as connectSocket, type Client } from '../../src/fixtures/socket.js';

/**
 * The tests' WebSocket client is the fixture runner's. Tests leave aside `crowd` and the site's
 * figures (their timing is the clock's, and any test changes them) unless they pass their own `ignore`.
 */
export * from '../../src/fixtures/socket.js';

export const connect = (
  url: string,
  headers: Record<string, string> = {},
  ignore: ReadonlySet<string> = new Set(['crowd', ...SITE_FIGURES]),
): Promise<Client> => connectSocket(url, headers, ignore);
