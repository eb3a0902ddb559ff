import { newUser, type User } from '../support/api.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';

/**
 * The web UI's session: `POST /api/session` also sets the token as the `session` cookie (HttpOnly,
 * SameSite=Lax), `GET /api/session` says whose it is, and the API takes the cookie for actions only
 * from this site's own pages (an `Origin` naming the host): another site's form cannot act for the
 * browser's user.
 */
let stack: Stack;
let alice: User;
let bob: User;

beforeAll(async () => {
  stack = await startStack({ relays: 1 });
  [alice, bob] = [await newUser(stack, 'alice'), await newUser(stack, 'bob')];
});
afterAll(() => stack?.stop());

const host = () => new URL(stack.httpUrl).host;
const send = (method: string, path: string, headers: Record<string, string> = {}, body?: unknown) =>
  fetch(`${stack.httpUrl}${path}`, {
    method,
    headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const cookieOf = (res: Response): string => res.headers.get('set-cookie') ?? '';

describe('the session cookie', () => {
  test('signing in sets the token as an HttpOnly, SameSite=Lax cookie for the whole site, lasting as long as the token', async () => {
    const res = await send('POST', '/api/session', {}, { name: alice.name, password: 'hunter22' });
    expect(res.status).toBe(201);
    const { token } = (await res.json()) as { token: string };
    expect(cookieOf(res)).toBe(`session=${token}; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax`);
  });

  test('an anonymous session gets one too; behind HTTPS (X-Forwarded-Proto) it is Secure', async () => {
    const res = await send('POST', '/api/session', { 'x-forwarded-proto': 'https' }, {});
    expect(res.status).toBe(201);
    const { token, user } = (await res.json()) as { token: string; user: { id: string } };
    expect(user.id).toMatch(/^anon-/);
    expect(cookieOf(res)).toBe(`session=${token}; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax; Secure`);
  });

  test('wrong credentials set no cookie', async () => {
    const res = await send('POST', '/api/session', {}, { name: alice.name, password: 'wrong-one' });
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
  });
});

describe('GET /api/session', () => {
  test('answers whose session the cookie or the Bearer token is', async () => {
    const byCookie = await send('GET', '/api/session', { cookie: `lang=en; session=${alice.token}` });
    expect(byCookie.status).toBe(200);
    expect(await byCookie.json()).toEqual({ user: { id: alice.id, name: alice.name } });
    const byBearer = await send('GET', '/api/session', { authorization: `Bearer ${bob.token}` });
    expect(await byBearer.json()).toEqual({ user: { id: bob.id, name: bob.name } });
  });

  test('401 without a session, and once it is signed out', async () => {
    expect((await send('GET', '/api/session')).status).toBe(401);
    const carol = await newUser(stack, 'carol');
    const out = await send('DELETE', '/api/session', { cookie: `session=${carol.token}`, origin: stack.httpUrl });
    expect(out.status).toBe(200);
    const after = await send('GET', '/api/session', { cookie: `session=${carol.token}` });
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ error: { code: 'bad_token' } });
  });
});

describe('actions with the cookie', () => {
  const challenge = { clock: { limit: 300, increment: 0 }, color: 'white' };

  test("are taken from this site's own page (Origin naming the host)", async () => {
    const res = await send(
      'POST',
      `/api/challenge/${bob.id}`,
      { cookie: `session=${alice.token}`, origin: `http://${host()}` },
      challenge,
    );
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ challenge: { challenger: { id: alice.id } } });
  });

  test.each([
    ['another site', { origin: 'https://evil.example' }],
    ['a sandboxed page (Origin: null)', { origin: 'null' }],
    ['no Origin at all', {}],
  ])('are refused from %s: 401, as without a session', async (_what, headers: Record<string, string>) => {
    const res = await send(
      'POST',
      `/api/challenge/${bob.id}`,
      { cookie: `session=${alice.token}`, ...headers },
      challenge,
    );
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'no_token' } });
  });
});
