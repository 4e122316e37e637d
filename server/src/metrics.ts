// Prometheus metrics. One registry per app instance (tests run several in one
// process), exposed at /metrics.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EventStreamMetrics } from './graphql/events.ts';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'parley_' });
  const httpRequests = new Counter({
    name: 'parley_http_requests_total',
    help: 'HTTP requests by route group, method and status code.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'parley_http_request_duration_seconds',
    help: 'HTTP request duration by route group.',
    labelNames: ['route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const graphqlOperations = new Counter({
    name: 'parley_graphql_operations_total',
    help: 'GraphQL operations by type, name and outcome.',
    labelNames: ['type', 'name', 'outcome'] as const,
    registers: [registry],
  });
  const graphqlDuration = new Histogram({
    name: 'parley_graphql_operation_duration_seconds',
    help: 'GraphQL execution time by operation type.',
    labelNames: ['type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const subscriptionsActive = new Gauge({
    name: 'parley_subscriptions_active',
    help: 'Live GraphQL subscriptions on this instance.',
    labelNames: ['event'] as const,
    registers: [registry],
  });
  const subscriptionEvents = new Counter({
    name: 'parley_subscription_events_total',
    help: 'Events delivered to subscribers on this instance.',
    labelNames: ['event'] as const,
    registers: [registry],
  });
  const jobs = new Counter({
    name: 'parley_jobs_total',
    help: 'Jobs processed by queue and outcome.',
    labelNames: ['queue', 'outcome'] as const,
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: 'parley_job_duration_seconds',
    help: 'Job handler duration by queue.',
    labelNames: ['queue'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60],
    registers: [registry],
  });
  const events: EventStreamMetrics = {
    onSubscribe: (name) => subscriptionsActive.inc({ event: name }),
    onUnsubscribe: (name) => subscriptionsActive.dec({ event: name }),
    onDeliver: (name) => subscriptionEvents.inc({ event: name }),
  };
  return { registry, httpRequests, httpDuration, graphqlOperations, graphqlDuration, jobs, jobDuration, events };
}

export type Metrics = ReturnType<typeof createMetrics>;
