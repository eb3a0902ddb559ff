import { randomBytes, scryptSync } from 'node:crypto';
import { MongoClient, type Collection } from 'mongodb';
import { call, uniqueName } from '../support/api.js';
import { startStack, type Stack } from '../../scripts/stack/stack.js';

/**
 * Accounts against hostile users: names that would take over anonymous players' games, and
 * password hashes as stored (OWASP's scrypt cost, parameters in each hash, old hashes upgraded).
 * This stack runs at the default cost, the test stack's lower SCRYPT_N being unset.
 */

let stack: Stack;
let mongo: MongoClient;
let users: Collection<{ _id: string; name: string; password: string; createdAt: Date }>;
beforeAll(async () => {
  stack = await startStack({ relays: 1, env: { SCRYPT_N: '' } });
  mongo = await MongoClient.connect(stack.mongoUrl);
  users = mongo.db().collection('users');
});
afterAll(async () => {
  await mongo?.close();
  await stack?.stop();
});

const PASSWORD = 'correct horse battery';
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const legacyHash = (password: string) => {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 64, { N: 16384, r: 8, p: 1 });
  return `scrypt$${salt.toString('base64')}$${key.toString('base64')}`;
};

describe('names beginning with anon- are kept for anonymous players', () => {
  test.each(['anon-', 'Anon-', 'ANON-', 'aNoN-'])('%s… is refused with 400, and no account is made', async (prefix) => {
    const name = `${prefix}${hex(4)}`;
    const res = await call(stack, 'POST', '/api/account', { name, password: PASSWORD });
    expect({ status: res.status, code: res.json?.error?.code }).toEqual({ status: 400, code: 'bad_request' });
    expect(res.json.error.message).toMatch(/anon-/);
    expect(await users.findOne({ _id: name.toLowerCase() })).toBeNull();
  });

  test('an anonymous player id, as the API gives it, cannot be registered', async () => {
    const anonymous = await call(stack, 'POST', '/api/session', {});
    const id = anonymous.json.user.id as string;
    expect(id).toMatch(/^anon-/);
    const res = await call(stack, 'POST', '/api/account', { name: id, password: PASSWORD });
    expect(res.status).toBe(400);
  });

  test('names that only look alike are accepted: anon, anonymous, anon_x', async () => {
    for (const name of [`anon${hex(2)}`, `anonymous${hex(2)}`, `anon_${hex(2)}`])
      expect((await call(stack, 'POST', '/api/account', { name, password: PASSWORD })).status).toBe(201);
  });

  test('an anon- account stored before the rule cannot sign in', async () => {
    const name = `anon-${hex(4)}`;
    await users.insertOne({ _id: name, name, password: legacyHash(PASSWORD), createdAt: new Date() });
    const res = await call(stack, 'POST', '/api/session', { name, password: PASSWORD });
    expect({ status: res.status, token: res.json.token as unknown }).toEqual({ status: 401, token: undefined });
  });
});

describe('password hashes', () => {
  test("a new account's hash is scrypt at N = 2^17, r = 8, p = 1, its parameters written in it", async () => {
    const name = uniqueName('hash');
    expect((await call(stack, 'POST', '/api/account', { name, password: PASSWORD })).status).toBe(201);
    const doc = await users.findOne({ _id: name.toLowerCase() });
    expect(doc?.password).toMatch(/^scrypt\$N=131072,r=8,p=1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(doc?.password).not.toContain(PASSWORD);
    expect((await call(stack, 'POST', '/api/session', { name, password: PASSWORD })).status).toBe(201);
  });

  test('an old-format hash still signs in, and is hashed again at the current cost on that sign-in', async () => {
    const name = uniqueName('old');
    const id = name.toLowerCase();
    await users.insertOne({ _id: id, name, password: legacyHash(PASSWORD), createdAt: new Date() });
    expect((await call(stack, 'POST', '/api/session', { name, password: 'wrong password' })).status).toBe(401);
    expect((await users.findOne({ _id: id }))?.password).toMatch(/^scrypt\$(?!N=)[^$]+\$[^$]+$/);

    const res = await call(stack, 'POST', '/api/session', { name, password: PASSWORD });
    expect(res).toMatchObject({ status: 201, json: { user: { id, name } } });
    expect((await users.findOne({ _id: id }))?.password).toMatch(/^scrypt\$N=131072,r=8,p=1\$/);
    expect((await call(stack, 'POST', '/api/session', { name, password: PASSWORD })).status).toBe(201);
    expect((await call(stack, 'POST', '/api/session', { name, password: 'wrong password' })).status).toBe(401);
  });
});

describe('challenges are bounded', () => {
  test('a user has 10 challenges out at most: the 11th is refused with 429 too_many_challenges, a canceled one makes room', async () => {
    const dest = uniqueName('star');
    expect((await call(stack, 'POST', '/api/account', { name: dest, password: PASSWORD })).status).toBe(201);
    const spammer = (await call(stack, 'POST', '/api/session', {})).json.token as string;
    const body = { clock: { limit: 60, increment: 0 } };
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await call(stack, 'POST', `/api/challenge/${dest.toLowerCase()}`, body, spammer);
      expect(res.status).toBe(201);
      ids.push(res.json.challenge.id as string);
    }
    const over = await call(stack, 'POST', `/api/challenge/${dest.toLowerCase()}`, body, spammer);
    expect({ status: over.status, code: over.json.error?.code as unknown }).toEqual({
      status: 429,
      code: 'too_many_challenges',
    });
    expect((await call(stack, 'POST', `/api/challenge/${ids[0]}/cancel`, {}, spammer)).status).toBe(200);
    expect((await call(stack, 'POST', `/api/challenge/${dest.toLowerCase()}`, body, spammer)).status).toBe(201);
  });
});
