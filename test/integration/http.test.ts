// The HTTP surface beside GraphQL: the web inbox with history-mode fallback,
// request limits, metrics, and the webhook prefix.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webDistDir } from '../../server/src/paths.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { gqlOk } from '../helpers/graphql.ts';
import { signUp } from '../helpers/fixtures.ts';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});

afterAll(async () => {
  await t.stop();
});

describe('web inbox', () => {
  it('is built (npm test builds it) and served at / and at client-side routes', async () => {
    expect(existsSync(path.join(webDistDir, 'index.html'))).toBe(true);
    const index = readFileSync(path.join(webDistDir, 'index.html'), 'utf8');
    for (const route of ['/', '/signin', '/settings/integrations']) {
      const res = await fetch(`${t.url}${route}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toBe(index);
    }
  });

  it('serves hashed assets with long caching and 404s missing files', async () => {
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(readFileSync(path.join(webDistDir, 'index.html'), 'utf8'))?.[1];
    expect(script).toBeDefined();
    const res = await fetch(`${t.url}${script}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${t.url}/assets/nope-123.js`)).status).toBe(404);
  });

  it('never serves files outside the build folder', async () => {
    for (const p of ['/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json', '/../server/src/config.ts']) {
      const res = await fetch(`${t.url}${p}`);
      const body = await res.text();
      expect(body).not.toContain('"name": "parley"');
      expect(body).not.toContain('loadConfig');
    }
  });
});

describe('limits and routes', () => {
  it('refuses GraphQL bodies over 1 MB with 413', async () => {
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(1024 * 1024 + 10) } }),
    });
    expect(res.status).toBe(413);
    expect(await res.text()).toMatch(/larger than 1048576 bytes/);
  });

  it('answers unknown webhook URLs 404 with a hint', async () => {
    const res = await fetch(`${t.url}/webhooks/slack/does-not-exist`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/check the URL shown for the integration/);
  });

  it('reports malformed requests with a readable error', async () => {
    const res = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": "{ me { id } "}' });
    expect(res.status).toBeLessThan(500);
    const notJson = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(notJson.status).toBe(400);
    const body = (await res.json()) as { errors: { message: string }[] };
    expect(body.errors[0]!.message).toMatch(/Syntax Error/);
  });
});

describe('metrics', () => {
  it('exposes HTTP, GraphQL, subscription and job metrics in Prometheus format', async () => {
    const admin = await signUp(t.url);
    await gqlOk(t.url, 'query Who { me { id } }', {}, admin.token);
    const res = await fetch(`${t.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/parley_http_requests_total\{route="\/graphql",method="POST",status="200"\} \d+/);
    expect(text).toMatch(/parley_graphql_operations_total\{type="query",name="Who",outcome="ok"\} 1/);
    expect(text).toMatch(/parley_graphql_operations_total\{type="mutation",name="anonymous",outcome="ok"\} \d+/);
    expect(text).toContain('parley_http_request_duration_seconds_bucket');
    expect(text).toContain('# TYPE parley_subscriptions_active gauge');
    expect(text).toContain('# TYPE parley_jobs_total counter');
    expect(text).toContain('parley_process_cpu_user_seconds_total');
  });
});
