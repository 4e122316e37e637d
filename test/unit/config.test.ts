import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/src/config.ts';

const KEY = Buffer.alloc(32, 7).toString('base64');

describe('configuration', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      databaseUrl: undefined,
      port: 4000,
      publicUrl: 'http://localhost:4000',
      debounceSeconds: 30,
      slackApiUrl: 'https://slack.com/api/',
      twilioApiUrl: 'https://api.twilio.com',
      sendgridApiUrl: 'https://api.sendgrid.com',
      role: 'all',
      keyRing: undefined,
    });
  });

  it('derives PUBLIC_URL from PORT and normalises URLs', () => {
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_URL: 'https://inbox.example.com/' }).publicUrl).toBe('https://inbox.example.com');
    expect(loadConfig({ SLACK_API_URL: 'http://127.0.0.1:9999/api' }).slackApiUrl).toBe('http://127.0.0.1:9999/api/');
  });

  it.each([
    ['PORT', 'abc', /PORT must be an integer from 0 to 65535 \(got "abc"\)/],
    ['PORT', '70000', /PORT must be an integer/],
    ['DEBOUNCE_SECONDS', '-1', /DEBOUNCE_SECONDS must be a number from 0/],
    ['DEBOUNCE_SECONDS', 'soon', /DEBOUNCE_SECONDS must be a number/],
    ['PUBLIC_URL', 'inbox.example.com', /PUBLIC_URL must be an absolute http\(s\) URL/],
    ['SLACK_API_URL', 'ftp://x', /SLACK_API_URL must be an absolute http\(s\) URL/],
    ['TWILIO_API_URL', 'nope', /TWILIO_API_URL must be/],
    ['SENDGRID_API_URL', '::', /SENDGRID_API_URL must be/],
    ['PARLEY_ROLE', 'both', /PARLEY_ROLE must be one of all, web, worker/],
    ['DATABASE_URL', 'mysql://u:p@h/db', /DATABASE_URL must be a postgresql:\/\/ connection URL/],
    ['PARLEY_ENCRYPTION_KEY', 'too-short', /PARLEY_ENCRYPTION_KEY must be a base64 32-byte key/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of/],
  ])('rejects %s=%s with a message naming it', (name, value, message) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(name);
    expect((error as Error).message).toMatch(message);
  });

  it('never echoes a database password or an encryption key in its error', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://user:hunter2secret@db/x' })).toThrow(/user:\*\*\*@/);
    try {
      loadConfig({ PARLEY_ENCRYPTION_KEY: 'abc:notbase64!!' });
    } catch (err) {
      expect((err as Error).message).not.toContain('notbase64');
    }
  });

  it('accepts a key ring with the newest key first', () => {
    const other = Buffer.alloc(32, 9).toString('base64');
    const c = loadConfig({ PARLEY_ENCRYPTION_KEY: `new:${KEY},old:${other}` });
    expect(c.keyRing?.active.id).toBe('new');
    expect([...c.keyRing!.byId.keys()]).toEqual(['new', 'old']);
    expect(() => loadConfig({ PARLEY_ENCRYPTION_KEY: `a:${KEY},a:${other}` })).toThrow(ConfigError);
  });

  it('stops the process with one clear line when a variable is invalid', () => {
    const server = path.resolve(import.meta.dirname, '../../server');
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: server,
      env: { ...process.env, PORT: 'eighty', DATABASE_URL: '' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(res.status).toBe(1);
    const lines = res.stderr.trim().split('\n');
    expect(lines).toEqual(['parley: configuration error: PORT must be an integer from 0 to 65535 (got "eighty")']);
  });
});
