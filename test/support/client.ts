import { SITE_FIGURES } from '../../scripts/fixtures/format.js';
import { connect as connectSocket, type Client } from '../../scripts/fixtures/socket.js';

/**
 * The tests' WebSocket client is the fixture runner's. Tests leave aside `crowd` and the site's
 * figures (their timing is the clock's, and any test changes them) unless they pass their own `ignore`.
 */
export * from '../../scripts/fixtures/socket.js';

export const connect = (
  url: string,
  headers: Record<string, string> = {},
  ignore: ReadonlySet<string> = new Set(['crowd', ...SITE_FIGURES]),
): Promise<Client> => connectSocket(url, headers, ignore);

/** Once the relay answers a ping, every frame published before it to the socket's rooms is here. */
export async function settled(client: Client): Promise<void> {
  client.send(null);
  await client.next((f) => (f as unknown) === 0);
}
