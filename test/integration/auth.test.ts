// Sign-up, sign-in, throttling, sessions, roles, members, API keys and the
// WebSocket handshake, over real HTTP against a real app instance.
import { randomBytes } from 'node:crypto';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { PrismaClient } from '../../server/src/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { addMember, prismaFor, seedConversation, signUp, uniqueEmail, type SignedUp } from '../helpers/fixtures.ts';
import { collect, errorCode, gql, gqlOk, wsClient, type GqlResult } from '../helpers/graphql.ts';
import { eventually, sleep } from '../helpers/wait.ts';

const SIGN_UP = `mutation($w: String!, $n: String!, $e: String!, $p: String!) {
  signUp(workspaceName: $w, name: $n, email: $e, password: $p) { token member { id name email role } workspace { id name } } }`;
const SIGN_IN = `mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token member { id email } workspace { id } } }`;
const ME = '{ me { id email role } }';
const ADD_MEMBER = `mutation($n: String!, $e: String!, $p: String!, $s: String, $ph: String) {
  addMember(name: $n, email: $e, password: $p, slackUserId: $s, phone: $ph) { id email role slackUserId phone } }`;

let t: TestApp;
let prisma: PrismaClient;
let admin: SignedUp;

beforeAll(async () => {
  t = await startTestApp();
  prisma = prismaFor(t.databaseUrl);
  admin = await signUp(t.url);
});
afterAll(async () => {
  await prisma?.$disconnect();
  await t?.stop();
});

const password = () => `pw-${randomBytes(8).toString('hex')}`;
const signUpAs = (email: string, pw = password(), workspaceName = 'Acme', url = t.url) =>
  gql<{ signUp: { token: string; member: { id: string; name: string; email: string; role: string }; workspace: { id: string; name: string } } }>(
    url, SIGN_UP, { w: workspaceName, n: 'Ann', e: email, p: pw });

/** POST /graphql with arbitrary headers (for malformed Authorization and X-Forwarded-For). */
async function post(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<GqlResult> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  const raw = await res.text();
  return { ...(JSON.parse(raw) as object), raw, status: res.status };
}

const meId = async (token: string) => (await gqlOk<{ me: { id: string } }>(t.url, ME, {}, token)).me.id;
const revoke = async (id: string, token = admin.token) => (await gqlOk<{ revokeApiKey: boolean }>(t.url, 'mutation($id: ID!) { revokeApiKey(id: $id) }', { id }, token)).revokeApiKey;
/** An API key of the admin, with the id of its row. */
async function createKey(name: string): Promise<{ key: string; id: string }> {
  const { createApiKey } = await gqlOk<{ createApiKey: { key: string } }>(t.url, 'mutation($n: String!) { createApiKey(name: $n) { key } }', { n: name }, admin.token);
  return { key: createApiKey.key, id: (await prisma.apiKey.findFirstOrThrow({ where: { name } })).id };
}

function expectError(res: GqlResult, code: string, field?: string): string {
  expect(res.errors, res.raw).toHaveLength(1);
  expect(errorCode(res), res.raw).toBe(code);
  if (field) expect(res.errors![0]!.extensions?.field).toBe(field);
  return res.errors![0]!.message;
}

describe('signUp', () => {
  it('creates a workspace whose first member is an ADMIN, and returns a working session token', async () => {
    const email = uniqueEmail('founder');
    const res = await signUpAs(email, password(), 'Founders Inc');
    const p = res.data!.signUp;
    expect(p.token).toMatch(/^prl_s_/);
    expect(p.member).toMatchObject({ name: 'Ann', email, role: 'ADMIN' });
    expect(p.workspace.name).toBe('Founders Inc');
    const data = await gqlOk<{ me: { id: string; role: string }; workspace: { id: string }; members: { id: string }[] }>(
      t.url, '{ me { id role } workspace { id } members { id } }', {}, p.token);
    expect(data.me).toEqual({ id: p.member.id, role: 'ADMIN' });
    expect(data.workspace.id).toBe(p.workspace.id);
    expect(data.members.map((m) => m.id)).toEqual([p.member.id]);
  });

  it('rejects an email that is already registered, ignoring case, and leaves no workspace behind', async () => {
    await signUpAs('Ann@X.test');
    const before = await prisma.workspace.count();
    const msg = expectError(await signUpAs('ann@x.test'), 'CONFLICT', 'email');
    expect(msg).toMatch(/already registered/);
    expect(await prisma.workspace.count()).toBe(before);
  });

  it.each([
    ['a short password', { e: () => uniqueEmail(), p: 'short', w: 'Acme' }, 'password', /at least 10 characters/],
    ['a malformed email', { e: () => 'not-an-email', p: 'long-enough-pw', w: 'Acme' }, 'email', /not an email address/],
    ['an empty workspace name', { e: () => uniqueEmail(), p: 'long-enough-pw', w: '   ' }, 'workspaceName', /must not be empty/],
  ])('rejects %s with BAD_USER_INPUT naming the field', async (_what, args, field, message) => {
    const res = await signUpAs(args.e(), args.p, args.w);
    expect(expectError(res, 'BAD_USER_INPUT', field)).toMatch(message);
  });
});

describe('signIn', () => {
  it('signs in with the email in any case and returns a new session for the same member', async () => {
    const res = await gqlOk<{ signIn: { token: string; member: { id: string }; workspace: { id: string } } }>(
      t.url, SIGN_IN, { e: `  ${admin.email.toUpperCase()} `, p: admin.password });
    expect(res.signIn.member.id).toBe(admin.memberId);
    expect(res.signIn.workspace.id).toBe(admin.workspaceId);
    expect(res.signIn.token).not.toBe(admin.token);
    expect(await meId(res.signIn.token)).toBe(admin.memberId);
  });

  it('says the same thing for a wrong password and an unknown email', async () => {
    // Two failures from 127.0.0.1; the per-address lock needs five, so the rest of this file is unaffected.
    const wrong = expectError(await gql(t.url, SIGN_IN, { e: admin.email, p: 'wrong-password!' }), 'UNAUTHENTICATED');
    const unknown = expectError(await gql(t.url, SIGN_IN, { e: uniqueEmail('nobody'), p: admin.password }), 'UNAUTHENTICATED');
    expect(wrong).toBe('Wrong email or password.');
    expect(unknown).toBe(wrong);
  });
});

describe('sign-in throttling', () => {
  // Its own instance and database, trusting X-Forwarded-For so each attempt can come from a chosen address.
  let th: TestApp;
  beforeAll(async () => void (th = await startTestApp({ env: { TRUST_PROXY: 'true' } })));
  afterAll(async () => th?.stop());

  const signInFrom = (ip: string, email: string, pw: string) => post(th.url, SIGN_IN, { e: email, p: pw }, { 'x-forwarded-for': ip });

  it('locks an email after 5 failures, even for the right password, then an address after 5 failures', async () => {
    const victim = { email: uniqueEmail('victim'), pw: password() };
    const bystander = { email: uniqueEmail('bystander'), pw: password() };
    for (const u of [victim, bystander]) expect((await signUpAs(u.email, u.pw, 'Acme', th.url)).errors).toBeUndefined();

    for (let i = 0; i < 5; i++) expectError(await signInFrom('10.0.0.1', victim.email, `wrong-${i}-password`), 'UNAUTHENTICATED');
    // Sixth attempt, right password, from a fresh address: the email itself is locked.
    const locked = await signInFrom('10.0.0.2', victim.email, victim.pw);
    expect(expectError(locked, 'TOO_MANY_REQUESTS')).toMatch(/^Too many failed sign-ins\. Try again in 1 minute\.$/);
    expect(locked.data?.signIn ?? null).toBeNull();
    const retry = locked.errors![0]!.extensions!.retryAfterSeconds as number;
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);

    // Another email from another address is unaffected ...
    expect((await signInFrom('10.0.0.3', bystander.email, bystander.pw)).errors).toBeUndefined();
    // ... but not from the address that made the five failures.
    expectError(await signInFrom('10.0.0.1', bystander.email, bystander.pw), 'TOO_MANY_REQUESTS');
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY is set', async () => {
    const plain = await startTestApp();
    try {
      const email = uniqueEmail('spoof');
      for (let i = 0; i < 5; i++) {
        const res = await post(plain.url, SIGN_IN, { e: email, p: 'wrong-password!' }, { 'x-forwarded-for': `10.1.0.${i}` });
        expectError(res, 'UNAUTHENTICATED');
      }
      // A different email, yet 127.0.0.1 has five failures: a spoofed header does not help.
      const res = await post(plain.url, SIGN_IN, { e: uniqueEmail('other'), p: 'wrong-password!' }, { 'x-forwarded-for': '10.9.9.9' });
      expectError(res, 'TOO_MANY_REQUESTS');
    } finally {
      await plain.stop();
    }
  });
});

describe('sessions', () => {
  it.each([
    ['no token', {}],
    ['a garbage token', { authorization: 'Bearer not-a-token' }],
    ['a well-formed but unknown session token', { authorization: `Bearer prl_s_${randomBytes(32).toString('base64url')}` }],
    ['"Bearer" without a token', { authorization: 'Bearer' }],
    ['another scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
  ])('rejects %s with UNAUTHENTICATED', async (_what, headers: Record<string, string>) => {
    const msg = expectError(await post(t.url, ME, {}, headers), 'UNAUTHENTICATED');
    expect(msg).toMatch(/Bearer/);
  });

  it('needs the Bearer scheme, in any letter case', async () => {
    expectError(await post(t.url, ME, {}, { authorization: admin.token }), 'UNAUTHENTICATED');
    const ok = await post(t.url, ME, {}, { authorization: `bearer ${admin.token}` });
    expect(ok.data?.me).toMatchObject({ id: admin.memberId });
  });

  it('stores only a hash of session tokens and rejects an expired session', async () => {
    const user = await signUp(t.url);
    const rows = await prisma.session.findMany({ where: { memberId: user.memberId } });
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(user.token);
    expect(await meId(user.token)).toBe(user.memberId);
    const { count } = await prisma.session.updateMany({ where: { memberId: user.memberId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(count).toBe(1);
    expectError(await gql(t.url, ME, {}, user.token), 'UNAUTHENTICATED');
  });

  it('signOut ends only the session that made the request', async () => {
    const other = (await gqlOk<{ signIn: { token: string } }>(t.url, SIGN_IN, { e: admin.email, p: admin.password })).signIn.token;
    expect(await gqlOk(t.url, 'mutation { signOut }', {}, other)).toEqual({ signOut: true });
    expectError(await gql(t.url, ME, {}, other), 'UNAUTHENTICATED');
    expectError(await gql(t.url, 'mutation { signOut }', {}, other), 'UNAUTHENTICATED');
    expect(await meId(admin.token)).toBe(admin.memberId);
  });

  it('stores passwords as salted scrypt hashes', async () => {
    const pw = 'the same password';
    const a = (await signUpAs(uniqueEmail('a'), pw)).data!.signUp.member.id;
    const b = (await signUpAs(uniqueEmail('b'), pw)).data!.signUp.member.id;
    const [ha, hb] = await Promise.all([a, b].map(async (id) => (await prisma.member.findUniqueOrThrow({ where: { id } })).passwordHash));
    for (const h of [ha!, hb!]) expect(h.startsWith('scrypt$') && !h.includes(pw)).toBe(true);
    expect(ha).not.toBe(hb);
  });
});

describe('roles and members', () => {
  let member: SignedUp;
  beforeAll(async () => void (member = await addMember(t.url, admin.token)));

  it('a MEMBER is FORBIDDEN from admin operations, and nothing changes', async () => {
    const { key, id: keyId } = await createKey('admin key');
    const membersBefore = await prisma.member.count();
    const attempts: [string, Record<string, unknown>][] = [
      [ADD_MEMBER, { n: 'Eve', e: uniqueEmail('eve'), p: password() }],
      ['mutation { createApiKey(name: "mine") { key } }', {}],
      ['{ apiKeys { id } }', {}],
      ['mutation($id: ID!) { revokeApiKey(id: $id) }', { id: keyId }],
    ];
    for (const [query, vars] of attempts) {
      expect(expectError(await gql(t.url, query, vars, member.token), 'FORBIDDEN')).toBe('Only workspace admins can do this.');
    }
    expect(await prisma.member.count()).toBe(membersBefore);
    expect(await prisma.apiKey.count({ where: { name: 'mine' } })).toBe(0);
    expect(await meId(key)).toBe(admin.memberId);
    // The member can still read what any member may.
    const data = await gqlOk<{ me: { role: string }; members: { id: string }[] }>(t.url, '{ me { role } members { id } }', {}, member.token);
    expect(data.me.role).toBe('MEMBER');
    expect(data.members.map((m) => m.id)).toEqual(expect.arrayContaining([admin.memberId, member.memberId]));
  });

  it('addMember normalises and validates phone numbers and Slack ids', async () => {
    const added = await gqlOk<{ addMember: { email: string; role: string; slackUserId: string; phone: string } }>(
      t.url, ADD_MEMBER, { n: 'Sam', e: 'Sam.Support@Example.test', p: password(), s: 'U01ABCDEF', ph: '+1 (415) 555-0100' }, admin.token);
    expect(added.addMember).toMatchObject({ email: 'sam.support@example.test', role: 'MEMBER', slackUserId: 'U01ABCDEF', phone: '+14155550100' });
    for (const ph of ['415 555 0100', '+0123456789', '+1-call-me']) {
      const res = await gql(t.url, ADD_MEMBER, { n: 'X', e: uniqueEmail(), p: password(), ph }, admin.token);
      expect(expectError(res, 'BAD_USER_INPUT', 'phone')).toMatch(/international form, like \+14155550100/);
    }
    for (const s of ['bob', 'u01abcdef', 'C01ABCDEF']) {
      const res = await gql(t.url, ADD_MEMBER, { n: 'X', e: uniqueEmail(), p: password(), s }, admin.token);
      expect(expectError(res, 'BAD_USER_INPUT', 'slackUserId')).toMatch(/Slack user id/);
    }
  });

  it('addMember reports which identity is already taken', async () => {
    await gqlOk(t.url, ADD_MEMBER, { n: 'Dup', e: uniqueEmail(), p: password(), s: 'U0DUPLICATE', ph: '+14155550199' }, admin.token);
    const dupSlack = await gql(t.url, ADD_MEMBER, { n: 'X', e: uniqueEmail(), p: password(), s: 'U0DUPLICATE' }, admin.token);
    expect(expectError(dupSlack, 'CONFLICT', 'slackUserId')).toMatch(/Slack user id/);
    const dupPhone = await gql(t.url, ADD_MEMBER, { n: 'X', e: uniqueEmail(), p: password(), ph: '+1 415 555 0199' }, admin.token);
    expectError(dupPhone, 'CONFLICT', 'phone');
    const dupEmail = await gql(t.url, ADD_MEMBER, { n: 'X', e: admin.email.toUpperCase(), p: password() }, admin.token);
    expect(expectError(dupEmail, 'CONFLICT', 'email')).toMatch(/already registered/);
    // Several at once: one wins; each loser (caught by the pre-check or by the unique index) still learns which field.
    const race = await Promise.all([1, 2, 3].map(() => gql(t.url, ADD_MEMBER, { n: 'R', e: uniqueEmail(), p: password(), s: 'U0RACE' }, admin.token)));
    expect(race.filter((r) => !r.errors)).toHaveLength(1);
    for (const r of race.filter((r) => r.errors)) expectError(r, 'CONFLICT', 'slackUserId');
    // Slack ids and phones are unique per workspace only.
    const other = await signUp(t.url, 'Other');
    const elsewhere = await gqlOk<{ addMember: { slackUserId: string } }>(
      t.url, ADD_MEMBER, { n: 'Y', e: uniqueEmail(), p: password(), s: 'U0DUPLICATE', ph: '+14155550199' }, other.token);
    expect(elsewhere.addMember.slackUserId).toBe('U0DUPLICATE');
  });
});

describe('API keys', () => {
  it('is shown once, authenticates as its creator, is listed by prefix only, stored hashed, and can be revoked', async () => {
    const { key, id } = await createKey('CI');
    expect(key).toMatch(/^prl_k_[A-Za-z0-9_-]{40,}$/);

    const viaKey = await gqlOk<{ me: { id: string; role: string }; workspace: { id: string } }>(t.url, '{ me { id role } workspace { id } }', {}, key);
    expect(viaKey).toEqual({ me: { id: admin.memberId, role: 'ADMIN' }, workspace: { id: admin.workspaceId } });

    const list = await gql<{ apiKeys: { id: string; name: string; prefix: string; createdBy: { id: string } }[] }>(
      t.url, '{ apiKeys { id name prefix createdBy { id } } }', {}, admin.token);
    const listed = list.data!.apiKeys.find((k) => k.id === id)!;
    expect(listed).toMatchObject({ name: 'CI', createdBy: { id: admin.memberId } });
    expect(key.startsWith(listed.prefix)).toBe(true);
    expect(listed.prefix.length).toBeLessThan(key.length / 2);
    expect(list.raw).not.toContain(key);

    const row = await prisma.apiKey.findUniqueOrThrow({ where: { id } });
    expect(row.keyHash).not.toBe(key);
    expect(row.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(key);
    expect(JSON.stringify(row)).not.toContain(key.slice(listed.prefix.length));

    // signOut does not end an API key.
    expect(await gqlOk(t.url, 'mutation { signOut }', {}, key)).toEqual({ signOut: false });
    expect(await meId(key)).toBe(admin.memberId);

    expect(await revoke(id)).toBe(true);
    expectError(await gql(t.url, ME, {}, key), 'UNAUTHENTICATED');
    const after = await gqlOk<{ apiKeys: { id: string }[] }>(t.url, '{ apiKeys { id } }', {}, admin.token);
    expect(after.apiKeys.map((k) => k.id)).not.toContain(id);
    expect(await revoke(id)).toBe(false);
  });

  it('cannot be revoked from another workspace', async () => {
    const { key, id } = await createKey('mine only');
    const stranger = await signUp(t.url, 'Strangers');
    expect(await revoke(id, stranger.token)).toBe(false);
    expect((await gqlOk<{ apiKeys: { id: string }[] }>(t.url, '{ apiKeys { id } }', {}, stranger.token)).apiKeys).toEqual([]);
    expect(await meId(key)).toBe(admin.memberId);
  });
});

describe('graphql-ws', () => {
  /** Connects eagerly and resolves with how the handshake ended. */
  function handshake(token: string | undefined): Promise<{ connected: true } | { connected: false; code: number }> {
    return new Promise((resolve) => {
      const client = createClient({
        url: t.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, onNonLazyError: () => undefined,
        connectionParams: token ? { authorization: `Bearer ${token}` } : {},
        on: {
          connected: () => { resolve({ connected: true }); void client.dispose(); },
          closed: (e) => resolve({ connected: false, code: (e as { code: number }).code }),
        },
      });
    });
  }

  it('accepts a session token and delivers its workspace\'s events', async () => {
    expect(await handshake(admin.token)).toEqual({ connected: true });
    const { task } = await seedConversation(prisma, admin.workspaceId);
    const client = wsClient(t.wsUrl, admin.token);
    const sub = collect<{ taskUpdated: { id: string; status: string } }>(client, 'subscription { taskUpdated { id status } }');
    try {
      let status: 'OPEN' | 'DONE' = 'OPEN';
      // Keep changing the task until the subscription (started asynchronously) sees a change.
      await eventually(async () => {
        status = status === 'OPEN' ? 'DONE' : 'OPEN';
        await gqlOk(t.url, 'mutation($id: ID!, $s: TaskStatus!) { setTaskStatus(taskId: $id, status: $s) { id } }', { id: task.id, s: status }, admin.token);
        expect(sub.events.length).toBeGreaterThan(0);
      }, { intervalMs: 200 });
      expect(sub.errors).toEqual([]);
      expect(sub.events[0]!.taskUpdated.id).toBe(task.id);
    } finally {
      sub.stop();
      await client.dispose();
    }
  });

  it.each([['an invalid token', 'prl_s_invalid'], ['no token', undefined]])('closes the socket with 4403 for %s', async (_what, token) => {
    expect(await handshake(token)).toEqual({ connected: false, code: 4403 });
  });

  it('closes with 4403 for a revoked API key and surfaces the close to a subscriber', async () => {
    const { key, id } = await createKey('ws');
    expect(await handshake(key)).toEqual({ connected: true });
    expect(await revoke(id)).toBe(true);
    const client = wsClient(t.wsUrl, key);
    const sub = collect(client, 'subscription { taskCreated { id } }');
    try {
      await eventually(() => expect(sub.errors).toHaveLength(1));
      expect((sub.errors[0] as { code: number }).code).toBe(4403);
      expect(sub.events).toEqual([]);
    } finally {
      await client.dispose();
    }
  });
  it('stops an open subscription once its session is signed out: no further event is sent', async () => {
    const session = await gqlOk<{ signIn: { token: string } }>(t.url, 'mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }', { e: admin.email, p: admin.password });
    const token = session.signIn.token;
    const { task } = await seedConversation(prisma, admin.workspaceId);
    const client = wsClient(t.wsUrl, token);
    const sub = collect<{ taskUpdated: { id: string } }>(client, 'subscription { taskUpdated { id } }');
    const change = (s: 'OPEN' | 'DONE') => gqlOk(t.url, 'mutation($id: ID!, $s: TaskStatus!) { setTaskStatus(taskId: $id, status: $s) { id } }', { id: task.id, s }, admin.token);
    try {
      await eventually(async () => {
        await change('DONE');
        expect(sub.events.length).toBeGreaterThan(0);
      }, { intervalMs: 200 });
      await gqlOk(t.url, 'mutation { signOut }', {}, token);
      const seen = sub.events.length;
      // Past the socket's re-check interval, the next event ends the socket instead of being delivered.
      await sleep(2_100);
      await change('OPEN');
      await eventually(() => expect(sub.errors.length).toBeGreaterThan(0));
      expect(sub.events).toHaveLength(seen);
      expect(JSON.stringify(sub.errors)).toMatch(/4403|session ended/);
    } finally {
      await client.dispose();
    }
  });
});
