// Roles and graceful shutdown: the web role serves but runs no jobs, the worker
// role runs jobs without serving HTTP, and stop() lets in-flight jobs finish.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../server/src/db.ts';
import { MAINTENANCE_QUEUE } from '../../server/src/jobs/maintenance.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { startTestApp } from '../helpers/app.ts';
import { prismaFor, signUp } from '../helpers/fixtures.ts';
import { gql } from '../helpers/graphql.ts';
import { eventually, sleep } from '../helpers/wait.ts';

let databaseUrl: string;
let prisma: PrismaClient;

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  prisma = prismaFor(databaseUrl);
});

afterAll(async () => {
  await prisma.$disconnect();
});

describe('roles', () => {
  it('web enqueues but never runs jobs; worker runs them and serves no HTTP', async () => {
    const web = await startTestApp({ databaseUrl, env: { PARLEY_ROLE: 'web' } });
    try {
      const admin = await signUp(web.url);
      await prisma.session.updateMany({ where: { member: { workspaceId: admin.workspaceId } }, data: { expiresAt: new Date(Date.now() - 1000) } });
      const jobId = await web.app.queue!.boss.send(MAINTENANCE_QUEUE, {});
      expect(jobId).toBeTruthy();
      await sleep(1500);
      expect((await web.app.queue!.boss.getJobById(MAINTENANCE_QUEUE, jobId!))?.state).toBe('created');

      const worker = await startTestApp({ databaseUrl, env: { PARLEY_ROLE: 'worker' } });
      try {
        expect(worker.url).toBe('');
        // The worker's maintenance job removes the expired session.
        await eventually(async () => expect(await prisma.session.count({ where: { member: { workspaceId: admin.workspaceId } } })).toBe(0), { timeoutMs: 15_000 });
        const res = await gql(web.url, '{ me { id } }', {}, admin.token);
        expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      } finally {
        await worker.stop();
      }
    } finally {
      await web.stop();
    }
  });
});

describe('graceful shutdown', () => {
  it('finishes in-flight jobs before stop() resolves, then refuses connections', async () => {
    const t = await startTestApp({ databaseUrl });
    const events: string[] = [];
    await t.app.queue!.work<{ n: number }>('test-slow', { pollingIntervalSeconds: 0.5 }, async (job) => {
      events.push(`start ${job.data.n}`);
      await sleep(1000);
      events.push(`end ${job.data.n}`);
    });
    await t.app.queue!.boss.send('test-slow', { n: 1 });
    await eventually(() => expect(events).toEqual(['start 1']));
    await t.stop();
    events.push('stopped');
    expect(events).toEqual(['start 1', 'end 1', 'stopped']);
    await expect(fetch(`${t.url}/healthz`)).rejects.toThrow();
  });
});
