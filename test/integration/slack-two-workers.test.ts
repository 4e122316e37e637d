// Two Parley instances (web and worker roles both) on one database, as behind
// a load balancer: Slack's webhooks alternate between them, bursts of several
// customers and threads interleave, both run bundle and sender jobs. Every
// burst must become exactly one task; no message may be in two tasks, lost or
// stored twice; no task may be empty; each taskCreated reaches subscribers of
// either instance once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventCallback, messageEvent, nextTs, postSignedEvent } from '../fakes/slack/index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { prismaFor } from '../helpers/fixtures.ts';
import { collect, wsClient } from '../helpers/graphql.ts';
import { SIGNING_SECRET, SUPPORT, TEAM, TEAMMATE, startSlackEnv, type SlackEnv } from '../helpers/slack.ts';
import { eventually, sleep } from '../helpers/wait.ts';
import type { PrismaClient } from '../../server/src/db.ts';

const DEBOUNCE_SECONDS = '2';
const CUSTOMERS = Array.from({ length: 6 }, (_, i) => `U0TWOWK${String(i).padStart(3, '0')}`);

let env: SlackEnv;
let second: TestApp;
let prisma: PrismaClient;
let instances: { url: string }[];
let sent = 0;

beforeAll(async () => {
  env = await startSlackEnv({ env: { DEBOUNCE_SECONDS } });
  CUSTOMERS.forEach((id, i) => env.slack.addUser(TEAM, { id, name: `cust${i}`, realName: `Customer ${i}`, email: `cust${i}@example.org` }));
  second = await startTestApp({ databaseUrl: env.t.databaseUrl, env: { SLACK_API_URL: env.slack.apiUrl, DEBOUNCE_SECONDS } });
  prisma = prismaFor(env.t.databaseUrl);
  instances = [env.t, second];
});

afterAll(async () => {
  await prisma.$disconnect();
  await second.stop();
  await env.stop();
});

interface Outgoing {
  event: Record<string, unknown>;
  eventId: string;
}

/** Posts to the instances in turn (a round-robin balancer); a retry goes to the other instance than the original. */
async function deliver(o: Outgoing, retryNum?: number): Promise<number> {
  const target = instances[sent++ % 2]!;
  const body = eventCallback({ teamId: TEAM, event: o.event, eventId: o.eventId });
  const res = await postSignedEvent(`${target.url}/webhooks/slack/${env.integrationId}`, SIGNING_SECRET, body, retryNum !== undefined ? { retryNum } : {});
  return res.status;
}

let eventSeq = 0;
function outgoing(user: string, text: string, threadTs?: string): Outgoing {
  return { event: messageEvent({ channel: SUPPORT, user, text, channelType: 'channel', ...(threadTs ? { threadTs } : {}) }), eventId: `EvTWO${String(++eventSeq).padStart(5, '0')}` };
}

/**
 * Sends several bursts at once, interleaved: message k of every burst goes out
 * together, each burst's messages ~150 ms apart (well inside the quiet period).
 * Some deliveries are retried by "Slack" (same event_id), to the other instance.
 */
async function sendInterleaved(bursts: Outgoing[][]): Promise<void> {
  const longest = Math.max(...bursts.map((b) => b.length));
  for (let k = 0; k < longest; k++) {
    const round = bursts.map((b) => b[k]).filter((o): o is Outgoing => o !== undefined);
    const statuses = await Promise.all(round.flatMap((o, i) => (i % 3 === 0 ? [deliver(o), deliver(o, 1)] : [deliver(o)])));
    expect(statuses.every((s) => s === 200)).toBe(true);
    await sleep(150);
  }
}

async function taskBodies(): Promise<string[][]> {
  const tasks = await prisma.task.findMany({ include: { messages: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } }, orderBy: { createdAt: 'asc' } });
  return tasks.map((t) => t.messages.map((m) => m.body).sort());
}

async function expectInvariants(expectedMessages: number): Promise<void> {
  const messages = await prisma.message.findMany({ where: { direction: 'INBOUND' } });
  expect(messages).toHaveLength(expectedMessages);
  expect(messages.filter((m) => m.taskId === null)).toEqual([]);
  expect(new Set(messages.map((m) => m.providerMessageId)).size).toBe(messages.length);
  const empty = await prisma.task.findMany({ where: { messages: { none: {} } } });
  expect(empty).toEqual([]);
}

describe('two worker instances', () => {
  it('interleaved bursts of several customers and threads, alternating instances: one task per burst', async () => {
    const subA = wsClient(env.t.wsUrl, env.admin.token);
    const subB = wsClient(second.wsUrl, env.admin.token);
    const createdA = collect<{ taskCreated: { id: string } }>(subA, 'subscription { taskCreated { id } }');
    const createdB = collect<{ taskCreated: { id: string } }>(subB, 'subscription { taskCreated { id } }');
    await eventually(() => expect(env.t.app.events.subscriberCount + second.app.events.subscriberCount).toBe(2));

    // Per customer: a burst of top-level messages, and a burst of replies in a thread a teammate started
    // (the teammate's root is dropped: the replies are their own conversation).
    const bursts: Outgoing[][] = [];
    const roots: string[] = [];
    for (const [c, user] of CUSTOMERS.entries()) {
      bursts.push(Array.from({ length: 5 }, (_, k) => outgoing(user, `customer ${c} top-level ${k}`)));
      const root = nextTs();
      roots.push(root);
      expect(await deliver({ event: messageEvent({ channel: SUPPORT, user: TEAMMATE, text: `Announcement ${c}`, channelType: 'channel', ts: root }), eventId: `EvROOT${c}` })).toBe(200);
      bursts.push(Array.from({ length: 4 }, (_, k) => outgoing(user, `customer ${c} thread reply ${k}`, root)));
    }
    await sendInterleaved(bursts);
    const expected = bursts.map((b) => b.map((o) => o.event.text as string).sort());
    await eventually(async () => {
      const bodies = await taskBodies();
      expect(bodies).toHaveLength(expected.length);
      expect(new Set(bodies.map((b) => JSON.stringify(b)))).toEqual(new Set(expected.map((b) => JSON.stringify(b))));
    }, { timeoutMs: 30_000, intervalMs: 250 });
    await expectInvariants(expected.flat().length);
    // Both instances took part: each ran bundle and sender jobs.
    for (const t of [env.t, second]) {
      const counts = await t.app.metrics.jobs.get();
      const ran = (queue: string) => counts.values.filter((v) => v.labels.queue === queue && v.labels.outcome === 'completed').reduce((n, v) => n + v.value, 0);
      expect(ran('inbox.bundle')).toBeGreaterThan(0);
      expect(ran('inbox.sender')).toBeGreaterThan(0);
    }
    // Each contact was created once, though both instances looked senders up concurrently.
    expect(await prisma.contact.count({ where: { slackUserId: { in: CUSTOMERS } } })).toBe(CUSTOMERS.length);

    // Both instances' subscribers saw every task exactly once.
    const ids = (await prisma.task.findMany({ select: { id: true } })).map((t) => t.id).sort();
    await eventually(() => {
      expect(createdA.events.map((e) => e.taskCreated.id).sort()).toEqual(ids);
      expect(createdB.events.map((e) => e.taskCreated.id).sort()).toEqual(ids);
    });

    // Round two, still interleaved: more replies in each customer's thread join its OPEN task; new
    // top-level messages are new bursts, each a new task.
    const appended: Outgoing[][] = [];
    const fresh: Outgoing[][] = [];
    for (const [c, user] of CUSTOMERS.entries()) {
      appended.push(Array.from({ length: 2 }, (_, k) => outgoing(user, `customer ${c} later reply ${k}`, roots[c])));
      fresh.push(Array.from({ length: 3 }, (_, k) => outgoing(user, `customer ${c} new topic ${k}`)));
    }
    await sendInterleaved([...appended, ...fresh]);
    const expectedAfter = [
      ...bursts.map((b, i) => (i % 2 === 1 ? [...b, ...appended[(i - 1) / 2]!] : b).map((o) => o.event.text as string).sort()),
      ...fresh.map((b) => b.map((o) => o.event.text as string).sort()),
    ];
    await eventually(async () => {
      const bodies = await taskBodies();
      expect(bodies).toHaveLength(expectedAfter.length);
      expect(new Set(bodies.map((b) => JSON.stringify(b)))).toEqual(new Set(expectedAfter.map((b) => JSON.stringify(b))));
    }, { timeoutMs: 30_000, intervalMs: 250 });
    await expectInvariants(expectedAfter.flat().length);
    // Nothing more appears once everything is quiet.
    await sleep(Number(DEBOUNCE_SECONDS) * 1000 + 1000);
    expect(await prisma.task.count()).toBe(expectedAfter.length);

    createdA.stop();
    createdB.stop();
    await subA.dispose();
    await subB.dispose();
  }, 90_000);

  it('the same events delivered several times at once, to both instances, are stored once and make one task', async () => {
    const before = await prisma.task.count();
    const user = CUSTOMERS[0]!;
    const burst = Array.from({ length: 5 }, (_, k) => outgoing(user, `duplicated delivery ${k}`));
    // Every event four times at once: twice to each instance (the same instance may batch two copies together).
    const statuses = await Promise.all(burst.flatMap((o) => [deliver(o), deliver(o), deliver(o, 1), deliver(o, 2)]));
    expect(statuses.every((s) => s === 200)).toBe(true);
    await eventually(async () => {
      const tasks = await prisma.task.findMany({ where: { messages: { some: { body: { startsWith: 'duplicated delivery' } } } }, include: { messages: true } });
      expect(tasks).toHaveLength(1);
      expect(tasks[0]!.messages.map((m) => m.body).sort()).toEqual(burst.map((o) => o.event.text as string).sort());
    }, { timeoutMs: 15_000, intervalMs: 250 });
    expect(await prisma.message.count({ where: { body: { startsWith: 'duplicated delivery' } } })).toBe(burst.length);
    expect(await prisma.task.count()).toBe(before + 1);
  }, 60_000);
});
