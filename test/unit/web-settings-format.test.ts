// Formatting on the settings screens: dates, id lists, senders, and what the
// integration settings list about each connection.
import { describe, expect, it } from 'vitest';
import { connectionFacts, disconnectWarning } from '../../web/src/pages/settings/connection-facts.ts';
import { formatDate, formatRelative, formatSender, optional, parseIdList, roleLabels, statusLabels } from '../../web/src/pages/settings/format.ts';

const base = { webhookUrl: null, slackAllowedUserIds: null, smsNumber: null, whatsappNumber: null, inboundDomain: null, webhookSigned: null };

describe('formatDate and formatRelative', () => {
  const now = new Date('2026-03-10T12:00:00.000Z');

  it('formats ISO timestamps as a short date, and ignores what is not one', () => {
    expect(formatDate('2026-03-03T09:30:00.000Z', 'en-US')).toBe('Mar 3, 2026');
    expect(formatDate(null)).toBe('');
    expect(formatDate('not a date')).toBe('');
  });

  it('says how long ago, then falls back to the date', () => {
    expect(formatRelative('2026-03-10T11:59:40.000Z', now, 'en-US')).toBe('just now');
    expect(formatRelative('2026-03-10T11:55:00.000Z', now, 'en-US')).toBe('5 minutes ago');
    expect(formatRelative('2026-03-10T09:00:00.000Z', now, 'en-US')).toBe('3 hours ago');
    expect(formatRelative('2026-03-09T12:00:00.000Z', now, 'en-US')).toBe('yesterday');
    expect(formatRelative('2026-03-06T12:00:00.000Z', now, 'en-US')).toBe('4 days ago');
    expect(formatRelative('2026-02-01T12:00:00.000Z', now, 'en-US')).toBe('Feb 1, 2026');
  });
});

describe('inputs', () => {
  it('splits Slack id lists on commas and spaces, dropping blanks and repeats', () => {
    expect(parseIdList(' U01ABC, U02DEF  U01ABC;U03GHI\n')).toEqual(['U01ABC', 'U02DEF', 'U03GHI']);
    expect(parseIdList('  ')).toEqual([]);
  });

  it('omits empty optional values', () => {
    expect(optional('  ')).toBeUndefined();
    expect(optional(' +14155550100 ')).toBe('+14155550100');
  });

  it('writes a sender as the name and address', () => {
    expect(formatSender('Acme Support', 'support@acme.test')).toBe('Acme Support <support@acme.test>');
    expect(formatSender(null, 'support@acme.test')).toBe('support@acme.test');
  });

  it('has words for roles and statuses', () => {
    expect(roleLabels).toEqual({ ADMIN: 'Admin', MEMBER: 'Member' });
    expect(statusLabels.ERROR).toBe('Needs attention');
  });
});

describe('connectionFacts', () => {
  it('tells Slack Events API from Socket Mode, and who messages are taken from', () => {
    expect(connectionFacts({ ...base, provider: 'SLACK', webhookUrl: 'https://p.test/webhooks/slack/1' })).toEqual([
      { label: 'Events', value: 'Events API over HTTP' },
      { label: 'Takes messages from', value: 'Everyone', mono: false },
    ]);
    expect(connectionFacts({ ...base, provider: 'SLACK', slackAllowedUserIds: ['U01', 'U02'] })).toEqual([
      { label: 'Events', value: 'Socket Mode' },
      { label: 'Takes messages from', value: 'U01, U02', mono: true },
    ]);
  });

  it("lists Twilio's numbers", () => {
    expect(connectionFacts({ ...base, provider: 'TWILIO', smsNumber: '+14155550100' })).toEqual([
      { label: 'SMS number', value: '+14155550100', mono: true },
      { label: 'WhatsApp sender', value: 'None', mono: false },
    ]);
  });

  it("lists SendGrid's receiving domain and signing (the sender is the heading)", () => {
    const facts = connectionFacts({ ...base, provider: 'SENDGRID', inboundDomain: 'reply.acme.test', webhookSigned: true });
    expect(facts.map((f) => f.value)).toEqual(['reply.acme.test', 'On: unsigned posts are refused']);
    expect(connectionFacts({ ...base, provider: 'SENDGRID', inboundDomain: 'reply.acme.test', webhookSigned: false })[1]?.value).toBe('Off');
  });

  it('warns what disconnecting does, per provider', () => {
    expect(disconnectWarning('SLACK')).toMatch(/Slack workspace/);
    expect(disconnectWarning('TWILIO')).toMatch(/SMS and WhatsApp/);
    expect(disconnectWarning('SENDGRID')).toMatch(/Inbound Parse URL stops working/);
  });
});
