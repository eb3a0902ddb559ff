import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { call, newGame, newUser, uniqueName, type User } from '../support/api.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';
import { verifyToken } from '../../src/token.js';

/** The HTTP API of lila-core: accounts, sessions, games and challenges, and the shape of every error. */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ relays: 1 });
});
afterAll(() => stack?.stop());

type Response = Awaited<ReturnType<typeof call>>;

/** A refusal: its status, `{"error":{"code","message"}}` and nothing else, and no stack trace. */
function expectError(res: Response, status: number, code?: string): void {
  expect({ status: res.status, json: res.json }).toEqual({
    status,
    json: { error: { code: code ?? expect.any(String), message: expect.any(String) } },
  });
  expect(res.text).not.toMatch(/^\s*at /m);
  expect(res.text).not.toMatch(/\.(?:ts|js):\d+/);
}

const PASSWORD = 'correct horse battery';
const hex = (bytes: number) => randomBytes(bytes).toString('hex');

describe('POST /api/account', () => {
  test('creates an account: 201 with {user:{id,name}}, the id being the lowercased name, and never the password', async () => {
    const name = `MiXeD_${hex(4)}`;
    const res = await call(stack, 'POST', '/api/account', { name, password: PASSWORD });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({ user: { id: name.toLowerCase(), name } });
    expect(res.text).not.toContain(PASSWORD);
  });

  test('names of exactly 2 and exactly 20 characters, with _ and -, are accepted', async () => {
    for (const name of [hex(1), `a-${hex(4)}_${'b'.repeat(9)}`]) {
      const res = await call(stack, 'POST', '/api/account', { name, password: PASSWORD });
      expect({ name, length: name.length, status: res.status }).toEqual({ name, length: name.length, status: 201 });
    }
  });

  test.each([
    ['too short: 1 character', 'a'],
    ['empty', ''],
    ['too long: 21 characters', `x${hex(10)}`],
    ['a space', 'has space'],
    ['unicode letters', 'ålice'],
    ['an emoji', 'ab😀'],
    ['a dot', 'a.b'],
    ['a slash', 'a/b'],
  ])('a bad name (%s) is refused with 400', async (_what, name) => {
    expectError(await call(stack, 'POST', '/api/account', { name, password: PASSWORD }), 400, 'bad_request');
  });

  test('a missing name, a non-string name, a missing or too short password are refused with 400', async () => {
    expectError(await call(stack, 'POST', '/api/account', { password: PASSWORD }), 400, 'bad_request');
    expectError(await call(stack, 'POST', '/api/account', { name: 12345, password: PASSWORD }), 400, 'bad_request');
    expectError(await call(stack, 'POST', '/api/account', { name: uniqueName('p') }), 400, 'bad_request');
    expectError(
      await call(stack, 'POST', '/api/account', { name: uniqueName('p'), password: 'abc' }),
      400,
      'bad_request',
    );
    expectError(await call(stack, 'POST', '/api/account'), 400, 'bad_request');
  });

  test('a name taken in another case is refused with 409, and the first account keeps its password', async () => {
    const base = `alice${hex(4)}`;
    expect(
      (await call(stack, 'POST', '/api/account', { name: `Alice${base.slice(5)}`, password: PASSWORD })).status,
    ).toBe(201);
    const taken = await call(stack, 'POST', '/api/account', { name: base, password: 'another password' });
    expectError(taken, 409);
    expect(taken.text).not.toContain('another password');
    const again = await call(stack, 'POST', '/api/account', { name: `Alice${base.slice(5)}`, password: PASSWORD });
    expectError(again, 409);

    expect((await call(stack, 'POST', '/api/session', { name: base, password: PASSWORD })).status).toBe(201);
    expectError(await call(stack, 'POST', '/api/session', { name: base, password: 'another password' }), 401);
  });
});

describe('POST /api/session', () => {
  test('the right password opens a session: 201 with {token,user}, the token verifiable with the secret', async () => {
    const name = `Sess${hex(4)}`;
    await call(stack, 'POST', '/api/account', { name, password: PASSWORD });
    const res = await call(stack, 'POST', '/api/session', { name, password: PASSWORD });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({ token: expect.any(String), user: { id: name.toLowerCase(), name } });
    expect(res.text).not.toContain(PASSWORD);
    const verified = verifyToken(stack.secret, res.json.token as string);
    expect(verified).toMatchObject({ ok: true, session: { userId: name.toLowerCase(), name } });
    if (verified.ok) expect(verified.session.expiresAt).toBeGreaterThan(Date.now() / 1000);

    // The name is matched in any case.
    const otherCase = await call(stack, 'POST', '/api/session', { name: name.toUpperCase(), password: PASSWORD });
    expect(otherCase).toMatchObject({ status: 201, json: { user: { id: name.toLowerCase(), name } } });
  });

  test('a wrong password is refused with 401', async () => {
    const name = uniqueName('wrong');
    await call(stack, 'POST', '/api/account', { name, password: PASSWORD });
    const res = await call(stack, 'POST', '/api/session', { name, password: `${PASSWORD}!` });
    expectError(res, 401);
    expect(res.json.token).toBeUndefined();
    expectError(await call(stack, 'POST', '/api/session', { name, password: '' }), 401);
  });

  test('an unknown user is refused with 401, the same answer as a wrong password', async () => {
    const unknown = await call(stack, 'POST', '/api/session', { name: uniqueName('ghost'), password: PASSWORD });
    expectError(unknown, 401);
    const name = uniqueName('known');
    await call(stack, 'POST', '/api/account', { name, password: PASSWORD });
    const wrong = await call(stack, 'POST', '/api/session', { name, password: 'nope nope' });
    expect(unknown.json).toEqual(wrong.json);
  });

  test('{} opens an anonymous session, whose user id starts with anon-', async () => {
    const res = await call(stack, 'POST', '/api/session', {});
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      token: expect.any(String),
      user: { id: expect.stringMatching(/^anon-/), name: expect.any(String) },
    });
    expect(verifyToken(stack.secret, res.json.token as string)).toMatchObject({
      ok: true,
      session: { userId: res.json.user.id },
    });
    const other = await call(stack, 'POST', '/api/session', {});
    expect(other.json.user.id).not.toBe(res.json.user.id);
  });

  test('a name without a password, or extra fields alone, are refused with 400', async () => {
    expectError(await call(stack, 'POST', '/api/session', { name: 'someone' }), 400, 'bad_request');
    expectError(await call(stack, 'POST', '/api/session', { admin: true }), 400, 'bad_request');
  });
});

describe('malformed requests and unknown routes', () => {
  test('a body that is not JSON is refused with 400 bad_json', async () => {
    expectError(await call(stack, 'POST', '/api/account', '{"name": "x",'), 400, 'bad_json');
    expectError(await call(stack, 'POST', '/api/session', 'not json at all'), 400, 'bad_json');
    const user = await newUser(stack);
    expectError(await call(stack, 'POST', `/api/challenge/${user.id}`, '{{', user.token), 400, 'bad_json');
  });

  test('a body over the size limit is refused with an error, not a stack trace', async () => {
    const res = await call(stack, 'POST', '/api/account', { name: 'big', password: 'x'.repeat(64 * 1024) });
    expectError(res, 413);
  });

  test('a path with a malformed percent-escape is refused with 400 in the error shape', async () => {
    expectError(await call(stack, 'GET', '/api/game/%E0%A4%A'), 400);
    expectError(await call(stack, 'POST', '/api/challenge/%zz', {}), 400);
  });

  test('an unknown route answers 404 in JSON', async () => {
    for (const [method, path] of [
      ['GET', '/nope'],
      ['GET', '/api/nope'],
      ['POST', '/api/nope'],
      ['DELETE', '/api/account'],
      ['GET', '/api/account'],
    ] as const) {
      const res = await call(stack, method, path);
      expect(`${method} ${path} ${res.status}`).toBe(`${method} ${path} 404`);
      expectError(res, 404, 'not_found');
    }
  });
});

describe('games', () => {
  test('GET /api/game/<unknown> answers 404, for a well-formed and a malformed id', async () => {
    expectError(await call(stack, 'GET', '/api/game/zzzzzzzz'), 404, 'not_found');
    expectError(await call(stack, 'GET', '/api/game/not-a-game-id'), 404, 'not_found');
    expectError(await call(stack, 'GET', '/api/game/zzzzzzzz/pgn'), 404, 'not_found');
  });

  test('GET /api/game/<id>/pgn is served as application/x-chess-pgn', async () => {
    const [white, black] = [await newUser(stack, 'w'), await newUser(stack, 'b')];
    const id = await newGame(stack, white, black);
    const game = await call(stack, 'GET', `/api/game/${id}`);
    expect(game).toMatchObject({ status: 200, json: { id, status: 'started', moves: [], v: 0 } });

    const res = await fetch(`${stack.httpUrl}/api/game/${id}/pgn`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-chess-pgn(;|$)/);
    const text = await res.text();
    expect(text).toContain(`[White "${white.name}"]`);
    expect(text).toContain(`[Black "${black.name}"]`);
  });
});

describe('challenges', () => {
  let alice: User;
  let bob: User;
  beforeAll(async () => {
    [alice, bob] = [await newUser(stack, 'alice'), await newUser(stack, 'bob')];
  });

  test.each([
    ['a limit over 3 hours', { clock: { limit: 99999, increment: 0 } }],
    ['limit and increment both 0', { clock: { limit: 0, increment: 0 } }],
    ['no clock', {}],
    ['a clock without increment', { clock: { limit: 60 } }],
    ['a negative increment', { clock: { limit: 60, increment: -1 } }],
    ['a fractional limit', { clock: { limit: 60.5, increment: 0 } }],
    ['a string limit', { clock: { limit: '60', increment: 0 } }],
    ['an unknown color', { clock: { limit: 60, increment: 0 }, color: 'green' }],
  ])('a challenge with %s is refused with 400', async (_what, body) => {
    expectError(await call(stack, 'POST', `/api/challenge/${bob.id}`, body, alice.token), 400, 'bad_request');
  });

  test('challenging yourself is refused with 400', async () => {
    expectError(
      await call(stack, 'POST', `/api/challenge/${alice.id}`, { clock: { limit: 60, increment: 0 } }, alice.token),
      400,
    );
    expectError(
      await call(
        stack,
        'POST',
        `/api/challenge/${alice.id.toUpperCase()}`,
        { clock: { limit: 60, increment: 0 } },
        alice.token,
      ),
      400,
    );
  });

  test('challenging an unknown user is refused with 404', async () => {
    expectError(
      await call(
        stack,
        'POST',
        `/api/challenge/${uniqueName('ghost')}`,
        { clock: { limit: 60, increment: 0 } },
        alice.token,
      ),
      404,
    );
  });

  test('a valid challenge is created: 201 with the challenge', async () => {
    const res = await call(
      stack,
      'POST',
      `/api/challenge/${bob.id}`,
      { clock: { limit: 10800, increment: 180 }, color: 'black' },
      alice.token,
    );
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      challenge: {
        id: expect.any(String),
        status: 'created',
        challenger: { id: alice.id, name: alice.name },
        destUser: { id: bob.id, name: bob.name },
        clock: { limit: 10800, increment: 180 },
        color: 'black',
        rated: false,
      },
    });
  });

  test('accepting, declining or canceling an unknown challenge answers 404', async () => {
    for (const how of ['accept', 'decline', 'cancel'])
      expectError(await call(stack, 'POST', `/api/challenge/nosuchid/${how}`, {}, bob.token), 404);
  });
});

describe('stored passwords', () => {
  test('are neither the plain password nor equal between two accounts with the same password (salted)', async () => {
    const names = [uniqueName('salt'), uniqueName('salt')];
    for (const name of names)
      expect((await call(stack, 'POST', '/api/account', { name, password: PASSWORD })).status).toBe(201);

    const client = new MongoClient(stack.mongoUrl, { serverSelectionTimeoutMS: 3000 });
    try {
      await client.connect();
      const users = client.db().collection<{ _id: string; name: string; password: unknown }>('users');
      const docs = await users.find({ _id: { $in: names.map((n) => n.toLowerCase()) } }).toArray();
      expect(docs.map((d) => d._id).sort()).toEqual(names.map((n) => n.toLowerCase()).sort());
      const stored = docs.map((d) => d.password);
      for (const password of stored) {
        expect(typeof password).toBe('string');
        expect(password).not.toBe(PASSWORD);
        expect(password as string).not.toContain(PASSWORD);
        expect(password as string).not.toContain(Buffer.from(PASSWORD).toString('base64'));
        expect((password as string).length).toBeGreaterThan(PASSWORD.length);
      }
      expect(stored[0]).not.toEqual(stored[1]);
      // No other field holds the password either.
      for (const doc of docs) expect(JSON.stringify({ ...doc, password: undefined })).not.toContain(PASSWORD);
    } finally {
      await client.close();
    }
  });
});
