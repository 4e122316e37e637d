// How contacts read in the web app: names with fallbacks, readable phone
// numbers, avatars and dates.
import { describe, expect, it } from 'vitest';
import {
  avatarHue, describeAge, displayName, formatAge, formatDate, formatPhone, hasName, identitiesOf, initials, secondaryLine,
} from '../../web/src/pages/contacts/contactFormat.ts';

describe('formatPhone', () => {
  it('spaces North American numbers as +1 NPA NXX XXXX', () => {
    expect(formatPhone('+14155550100')).toBe('+1 415 555 0100');
  });

  it('shows anything that is not E.164 as stored, and nothing for no number', () => {
    expect(formatPhone('0800 123')).toBe('0800 123');
    expect(formatPhone('+12')).toBe('+12');
    expect(formatPhone(null)).toBe('');
    expect(formatPhone(undefined)).toBe('');
  });
});

describe('displayName', () => {
  it('is the name when there is one', () => {
    expect(displayName({ name: '  Sam Source ', email: 'sam@example.com' })).toBe('Sam Source');
  });

  it('falls back to the email, then the phone (readable), then the Slack id', () => {
    expect(displayName({ name: ' ', email: 'sam@example.com', phone: '+14155550100', slackUserId: 'U1' })).toBe('sam@example.com');
    expect(displayName({ name: null, email: null, phone: '+14155550100', slackUserId: 'U1' })).toBe('+1 415 555 0100');
    expect(displayName({ slackUserId: 'U0SAM' })).toBe('Slack user U0SAM');
    expect(displayName({})).toBe('Unnamed contact');
  });

  it('hasName tells a real name from a fallback', () => {
    expect(hasName({ name: 'Sam' })).toBe(true);
    expect(hasName({ name: '   ', email: 'sam@example.com' })).toBe(false);
  });
});

describe('identities', () => {
  it('lists the known identities in order, phones readable', () => {
    expect(identitiesOf({ name: 'Sam', slackUserId: 'U1', phone: '+14155550100', email: null })).toEqual([
      { field: 'phone', label: 'Phone', value: '+14155550100', display: '+1 415 555 0100' },
      { field: 'slackUserId', label: 'Slack ID', value: 'U1', display: 'U1' },
    ]);
  });

  it('the secondary line leaves out whatever already stands in for the name', () => {
    expect(secondaryLine({ name: 'Sam', email: 'sam@example.com', phone: '+14155550100' })).toBe('sam@example.com · +1 415 555 0100');
    expect(secondaryLine({ name: null, email: 'sam@example.com', slackUserId: 'U1' })).toBe('Slack U1');
    expect(secondaryLine({ name: null, phone: '+14155550100' })).toBe('');
  });
});

describe('avatars', () => {
  it('takes initials from the first and last word of the name, else a sign for the identity', () => {
    expect(initials({ name: 'Sam Source' })).toBe('SS');
    expect(initials({ name: 'ada mary lovelace' })).toBe('AL');
    expect(initials({ name: 'Émile' })).toBe('É');
    expect(initials({ name: '(Sam) - Source' })).toBe('SS');
    expect(initials({ email: 'zoe@example.com' })).toBe('Z');
    expect(initials({ phone: '+14155550100' })).toBe('#');
    expect(initials({ slackUserId: 'U1' })).toBe('@');
    expect(initials({})).toBe('?');
  });

  it('gives the same contact the same colour', () => {
    const hue = avatarHue('0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b');
    expect(hue).toBe(avatarHue('0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b'));
    expect(hue).toBeGreaterThanOrEqual(0);
    expect(hue).toBeLessThan(360);
  });
});

describe('dates', () => {
  const now = new Date('2026-05-20T12:00:00Z');

  it('drops the year for this year\'s dates', () => {
    expect(formatDate('2026-03-04T10:00:00Z', now, 'en-US')).toBe('Mar 4');
    expect(formatDate('2025-11-30T10:00:00Z', now, 'en-US')).toBe('Nov 30, 2025');
    expect(formatDate('not a date', now, 'en-US')).toBe('');
  });

  it('gives a compact age, then a date once it is old', () => {
    expect(formatAge('2026-05-20T11:59:40Z', now)).toBe('just now');
    expect(formatAge('2026-05-20T11:15:00Z', now)).toBe('45m');
    expect(formatAge('2026-05-20T09:00:00Z', now)).toBe('3h');
    expect(formatAge('2026-05-18T12:00:00Z', now)).toBe('2d');
    expect(formatAge('2026-04-29T12:00:00Z', now)).toBe('3w');
    expect(formatAge('2026-01-02T12:00:00Z', now, 'en-US')).toBe('Jan 2');
    // A clock a little ahead is not "in the future".
    expect(formatAge('2026-05-20T12:00:30Z', now)).toBe('just now');
  });

  it('spells the age out for screen readers', () => {
    expect(describeAge('2026-05-20T09:00:00Z', now, 'en-US')).toBe('3 hours ago');
    expect(describeAge('2026-05-19T12:00:00Z', now, 'en-US')).toBe('yesterday');
    expect(describeAge('2026-01-02T12:00:00Z', now, 'en-US')).toBe('on Jan 2');
  });
});
