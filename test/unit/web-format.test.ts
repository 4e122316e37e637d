// The web app's display formatting: phone numbers, sizes, ages, names.
import { describe, expect, it } from 'vitest';
import { formatAge, formatAgeLong, formatBytes, formatMessageTime, formatPhone, initialsOf, personName } from '../../web/src/lib/format.ts';

describe('formatPhone', () => {
  it.each([
    ['+14155550100', '+1 415 555 0100'],
    ['+15550001111', '+1 555 000 1111'],
    ['+442079460958', '+44 207 946 0958'],
    ['+4915123456789', '+49 1512 345 6789'],
    ['+33612345678', '+33 612 345 678'],
    ['+34612345678', '+34 612 345 678'],
    ['+4930123456', '+49 3012 3456'],
    ['+8613812345678', '+86 1381 234 5678'],
    ['+85212345678', '+852 1234 5678'],
    ['+49301234567890', '+49 30 123 456 7890'],
    ['+79161234567', '+7 916 123 4567'],
    ['+353861234567', '+353 861 234 567'],
    ['whatsapp:+14155550100', '+1 415 555 0100'],
  ])('%s reads as %s', (input, expected) => {
    expect(formatPhone(input)).toBe(expected);
  });

  it('leaves what is not E.164 as given', () => {
    expect(formatPhone('415-555-0100')).toBe('415-555-0100');
    expect(formatPhone('')).toBe('');
    expect(formatPhone(null)).toBe('');
  });
});

describe('formatBytes', () => {
  it('uses short units', () => {
    expect(formatBytes(840)).toBe('840 B');
    expect(formatBytes(12_300)).toBe('12 KB');
    expect(formatBytes(3_400_000)).toBe('3.4 MB');
    expect(formatBytes(null)).toBe('');
  });
});

describe('ages', () => {
  const now = new Date('2026-03-10T15:00:00');
  const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

  it('is short for lists and long for tooltips', () => {
    expect(formatAge(ago(20_000), now)).toBe('now');
    expect(formatAge(ago(4 * 60_000), now)).toBe('4m');
    expect(formatAge(ago(3 * 3_600_000), now)).toBe('3h');
    expect(formatAge(new Date('2026-03-09T10:00:00').toISOString(), now)).toBe('Yesterday');
    expect(formatAge(new Date('2026-03-06T10:00:00').toISOString(), now)).toBe('Fri');
    expect(formatAge(new Date('2026-01-04T10:00:00').toISOString(), now)).toBe('Jan 4');
    expect(formatAge(new Date('2025-01-04T10:00:00').toISOString(), now)).toBe('Jan 4, 2025');
    expect(formatAgeLong(ago(60_000), now)).toBe('1 minute ago');
    expect(formatAgeLong(ago(2 * 3_600_000), now)).toBe('2 hours ago');
    expect(formatAge('not a date', now)).toBe('');
  });

  it('shows the time of day for messages from today', () => {
    expect(formatMessageTime(new Date('2026-03-10T09:05:00').toISOString(), now)).toBe('9:05 AM');
    expect(formatMessageTime(new Date('2026-03-02T09:05:00').toISOString(), now)).toBe('Mar 2, 9:05 AM');
  });
});

describe('people', () => {
  it('names a contact by its best identity', () => {
    expect(personName({ name: 'Cora Customer' })).toBe('Cora Customer');
    expect(personName({ name: ' ', email: 'eve@example.com' })).toBe('eve@example.com');
    expect(personName({ phone: '+14155550100' })).toBe('+1 415 555 0100');
    expect(personName({ slackUserId: 'U0CUSTOMER' })).toBe('Slack user U0CUSTOMER');
    expect(personName({})).toBe('Unnamed contact');
  });

  it('gives initials', () => {
    expect(initialsOf({ name: 'Cora Customer' })).toBe('CC');
    expect(initialsOf({ name: 'tess' })).toBe('T');
    expect(initialsOf({ email: 'eve@example.com' })).toBe('E');
    expect(initialsOf({ phone: '+14155550100' })).toBe('#');
  });
});
