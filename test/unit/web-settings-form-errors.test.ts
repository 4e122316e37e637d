// Settings forms put the server's message next to the field it blames
// (extensions.field), and above the form when the form has no such field.
import { describe, expect, it } from 'vitest';
import { firstInvalidField, hasErrors, toFormErrors } from '../../web/src/pages/settings/form-errors.ts';
import { NO_ERRORS } from '../../web/src/channels/setup/types.ts';
import { outcome } from '../../web/src/pages/settings/outcome.ts';

const SLACK_FIELDS = ['botToken', 'signingSecret', 'allowedUserIds'];

describe('toFormErrors', () => {
  it('puts a blamed field the form shows next to that field, with no form-level message', () => {
    const errors = toFormErrors({ message: 'Slack rejected the bot token (invalid_auth).', field: 'botToken' }, SLACK_FIELDS);
    expect(errors).toEqual({ message: null, fields: { botToken: 'Slack rejected the bot token (invalid_auth).' } });
  });

  it('shows the message above the form when the blamed field is not on it (e.g. hidden by the Socket Mode choice)', () => {
    const errors = toFormErrors({ message: 'Give the signing secret or an app-level token.', field: 'signingSecret' }, ['botToken', 'appToken']);
    expect(errors).toEqual({ message: 'Give the signing secret or an app-level token.', fields: {} });
  });

  it('shows errors without a field above the form', () => {
    expect(toFormErrors({ message: "Can't reach Parley right now." }, SLACK_FIELDS)).toEqual({ message: "Can't reach Parley right now.", fields: {} });
  });

  it('accepts a field named by path ("input.botToken")', () => {
    expect(toFormErrors({ message: 'bad', field: 'input.botToken' }, SLACK_FIELDS).fields).toEqual({ botToken: 'bad' });
  });

  it('maps the API name to the form field through aliases', () => {
    expect(toFormErrors({ message: 'Not Slack user ids: x', field: 'userIds' }, ['allowed'], { userIds: 'allowed' }).fields).toEqual({ allowed: 'Not Slack user ids: x' });
  });
});

describe('firstInvalidField and hasErrors', () => {
  it('finds the first field with an error in the form order', () => {
    const errors = { message: null, fields: { phone: 'p', name: 'n' } };
    expect(firstInvalidField(errors, ['name', 'email', 'phone'])).toBe('name');
    expect(firstInvalidField(errors, ['email'])).toBeUndefined();
  });

  it('tells an empty result from one with errors', () => {
    expect(hasErrors(NO_ERRORS)).toBe(false);
    expect(hasErrors({ message: 'x', fields: {} })).toBe(true);
    expect(hasErrors({ message: null, fields: { a: 'b' } })).toBe(true);
  });
});

describe('outcome', () => {
  it('is ok with the payload', () => {
    expect(outcome({ id: '1' }, undefined)).toEqual({ ok: true, value: { id: '1' } });
    expect(outcome(false, undefined)).toEqual({ ok: true, value: false });
  });

  it("carries the first GraphQL error's message and field", () => {
    const error = { graphQLErrors: [{ message: 'Another member already has this phone number.', extensions: { code: 'CONFLICT', field: 'phone' } }] };
    expect(outcome(null, error as never)).toEqual({ ok: false, error: { message: 'Another member already has this phone number.', field: 'phone' } });
  });

  it('says the server cannot be reached on a network error', () => {
    const result = outcome(null, { graphQLErrors: [] } as never);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.message).toMatch(/can't reach parley/i);
  });

  it('fails without payload and without error', () => {
    expect(outcome(undefined, undefined).ok).toBe(false);
  });
});
