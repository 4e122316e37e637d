// pg-boss: the job queue, in the same PostgreSQL. Every role can enqueue;
// only the worker role runs handlers. Handlers are registered per queue with
// a typed payload (see jobs/*.ts).
import PgBoss from 'pg-boss';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';

export type Job<T> = PgBoss.Job<T>;
type WorkOptions = PgBoss.WorkOptions;

export interface Queue {
  boss: PgBoss;
  /** Registers a handler; with the web role it is a no-op. */
  work<T extends object>(name: string, options: WorkOptions & { concurrency?: number }, handler: (job: Job<T>) => Promise<void>): Promise<void>;
  stop(timeoutMs: number): Promise<void>;
}

export async function startQueue(opts: { databaseUrl: string; log: Logger; metrics: Metrics; runWorkers: boolean }): Promise<Queue> {
  const { log, metrics } = opts;
  const boss = new PgBoss({
    connectionString: opts.databaseUrl,
    schema: 'pgboss',
    max: 10,
    // Only worker instances supervise (archive, monitor) and run schedules.
    supervise: opts.runWorkers,
    schedule: opts.runWorkers,
    migrate: true,
    // Expired jobs (of a worker that died) are noticed on maintenance runs: every 30 s instead of every 2 min.
    maintenanceIntervalSeconds: 30,
  });
  boss.on('error', (err: Error) => log.error({ err: err.message }, 'job queue error'));
  await boss.start();
  return {
    boss,
    async work<T extends object>(name: string, options: WorkOptions & { concurrency?: number }, handler: (job: Job<T>) => Promise<void>) {
      await boss.createQueue(name).catch(() => undefined);
      if (!opts.runWorkers) return;
      const { concurrency = 1, ...workOptions } = options;
      // One job per fetch keeps failure and retry per job; several pollers give
      // parallelism (pg-boss waits its polling interval between fetches of one poller).
      for (let i = 0; i < concurrency; i++) await boss.work<T>(name, { ...workOptions, batchSize: 1 }, async ([job]) => {
        if (!job) return;
        const end = metrics.jobDuration.startTimer({ queue: name });
        try {
          await handler(job);
          metrics.jobs.inc({ queue: name, outcome: 'completed' });
        } catch (err) {
          metrics.jobs.inc({ queue: name, outcome: 'failed' });
          log.error({ queue: name, jobId: job.id, err: (err as Error).message }, 'job failed');
          throw err;
        } finally {
          end();
        }
      });
    },
    async stop(timeoutMs: number) {
      // graceful: wait for in-flight handlers to finish (up to the timeout).
      await boss.stop({ graceful: true, wait: true, timeout: timeoutMs });
    },
  };
}
