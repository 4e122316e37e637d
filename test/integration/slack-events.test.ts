// Slack over the HTTP Events API, end to end: signed webhooks, filtering,
// contact matching, debounced bundling into one task, live taskCreated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackSignature as ourSignature } from '../../server/src/channels/slack/verify.ts';
import type { PrismaClient } from '../../server/src/db.ts';
import { prismaFor } from '../helpers/fixtures.ts';
import { collect, gqlOk, wsClient } from '../helpers/graphql.ts';
import { CUSTOMER, SUPPORT, TASK_FIELDS, startSlackEnv, type SlackEnv } from '../helpers/slack.ts';
import { eventually } from '../helpers/wait.ts';

let env: SlackEnv;
let prisma: PrismaClient;

beforeAll(async () => {
  env = await startSlackEnv();
  prisma = prismaFor(env.t.databaseUrl);
});

afterAll(async () => {
  await prisma.$disconnect();
  await env.stop();
});

describe('Slack Events API', () => {
  it('matches the signing example from Slack\'s documentation', () => {
    const body = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(ourSignature('8f742231b10e8888abcd99yyyzzz85a5', '1531420618', body)).toBe('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
  });

  it('turns a burst of messages into one task after the quiet period, published live', async () => {
    const client = wsClient(env.t.wsUrl, env.admin.token);
    const sub = collect<{ taskCreated: { id: string; title: string; messages: { body: string }[] } }>(client, `subscription { taskCreated { ${TASK_FIELDS} } }`);
    await eventually(() => expect(env.t.app.events.subscriberCount).toBe(1));
    for (const text of ['Hi, our invoices page is blank', 'It started this morning', 'Can you help?']) {
      expect((await env.post(env.message({ text }))).status).toBe(200);
    }
    await eventually(() => expect(sub.events).toHaveLength(1), { timeoutMs: 15_000 });
    const task = sub.events[0]!.taskCreated;
    expect(task).toMatchObject({
      status: 'OPEN', channel: 'SLACK', title: 'Hi, our invoices page is blank',
      contact: { name: 'Cora Customer', email: 'cora@example.com', slackUserId: CUSTOMER },
      conversation: { channel: 'SLACK', slackChannelId: SUPPORT, slackChannelName: 'support', integration: { id: env.integrationId } },
    });
    expect(task.messages.map((m) => m.body)).toEqual(['Hi, our invoices page is blank', 'It started this morning', 'Can you help?']);
    sub.stop();
    await client.dispose();
  });
});
