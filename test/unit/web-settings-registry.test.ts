// The provider setup registry speaks the API's language: every field it shows is
// a field of that provider's Connect…Input in the committed schema, required
// exactly where the schema requires it, and credentials are password inputs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, isNonNullType, type GraphQLInputObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  fieldOf, inlineSegments, providerSetups, secretFieldNames, sendGridSetup, setupFor, slackSetup, twilioSetup, SLACK_BOT_SCOPES,
} from '../../web/src/channels/setup/registry.ts';

const schema = buildSchema(readFileSync(path.resolve(import.meta.dirname, '../../schema.graphql'), 'utf8'));
const INPUTS = { SLACK: 'ConnectSlackInput', TWILIO: 'ConnectTwilioInput', SENDGRID: 'ConnectSendGridInput' } as const;

describe('provider setup registry', () => {
  it('covers Slack, Twilio and SendGrid, in that order, and every provider the API has', () => {
    expect(providerSetups.map((p) => p.provider)).toEqual(['SLACK', 'TWILIO', 'SENDGRID']);
    const providers = schema.getType('Provider');
    expect(providers && 'getValues' in providers ? providers.getValues().map((v) => v.name).sort() : []).toEqual(['SENDGRID', 'SLACK', 'TWILIO']);
  });

  for (const setup of providerSetups) {
    describe(setup.label, () => {
      const input = schema.getType(INPUTS[setup.provider]) as GraphQLInputObjectType;

      it(`names only fields of ${INPUTS[setup.provider]}, keyed by their own name`, () => {
        const apiFields = Object.keys(input.getFields());
        for (const [key, f] of Object.entries(setup.fields)) {
          expect(f.name).toBe(key);
          expect(apiFields).toContain(f.name);
        }
      });

      it('shows every field of the input', () => {
        expect(Object.keys(setup.fields).sort()).toEqual(Object.keys(input.getFields()).sort());
      });

      it('marks required exactly the fields the schema requires', () => {
        const required = Object.values(input.getFields()).filter((f) => isNonNullType(f.type)).map((f) => f.name).sort();
        expect(Object.values(setup.fields).filter((f) => f.required).map((f) => f.name).sort()).toEqual(required);
      });

      it('gives every field a label and help text, and the URLs where to paste them', () => {
        for (const f of Object.values(setup.fields)) {
          expect(f.label.length).toBeGreaterThan(2);
          expect(f.help.length).toBeGreaterThan(10);
        }
        expect(setup.webhookUrl.label).toBeTruthy();
        expect(setup.webhookUrl.help).toBeTruthy();
        expect(setup.before.length).toBeGreaterThan(0);
      });

      it('links to the provider over https, and nowhere else', () => {
        expect(setup.docs.length).toBeGreaterThan(0);
        for (const link of setup.docs) {
          const url = new URL(link.href);
          expect(url.protocol).toBe('https:');
          expect(url.hostname).toMatch(/(^|\.)(slack\.com|twilio\.com|sendgrid\.com)$/);
        }
      });
    });
  }

  it('uses the names the providers use for their credentials', () => {
    expect(fieldOf(slackSetup, 'botToken').label).toBe('Bot User OAuth Token');
    expect(fieldOf(slackSetup, 'signingSecret').label).toBe('Signing Secret');
    expect(fieldOf(slackSetup, 'appToken').label).toBe('App-Level Token');
    expect(fieldOf(twilioSetup, 'accountSid').label).toBe('Account SID');
    expect(fieldOf(twilioSetup, 'authToken').label).toBe('Auth Token');
    expect(fieldOf(sendGridSetup, 'apiKey').label).toBe('API Key');
    expect(fieldOf(slackSetup, 'botToken').help).toMatch(/OAuth & Permissions/);
    expect(fieldOf(slackSetup, 'appToken').help).toMatch(/connections:write/);
    expect(fieldOf(twilioSetup, 'accountSid').help).toMatch(/Account Info/);
    expect(fieldOf(sendGridSetup, 'inboundDomain').help).toMatch(/mx\.sendgrid\.net/);
  });

  it('treats exactly the credentials as secrets', () => {
    expect(secretFieldNames(slackSetup).sort()).toEqual(['appToken', 'botToken', 'signingSecret']);
    expect(secretFieldNames(twilioSetup)).toEqual(['authToken']);
    expect(secretFieldNames(sendGridSetup)).toEqual(['apiKey']);
  });

  it("lists Slack's bot scopes from the README", () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
    for (const scope of SLACK_BOT_SCOPES) expect(readme).toContain(`\`${scope}\``);
    expect(slackSetup.before.join(' ')).toContain('`users:read.email`');
  });

  it('names SendGrid its Event Webhook URL, which only SendGrid has', () => {
    expect(sendGridSetup.statusWebhookUrl?.label).toBe('Event Webhook URL');
    expect(slackSetup.statusWebhookUrl).toBeUndefined();
    expect(twilioSetup.statusWebhookUrl).toBeUndefined();
  });

  it('finds setups by provider and fails loudly on unknown fields', () => {
    expect(setupFor('TWILIO')).toBe(twilioSetup);
    expect(() => fieldOf(slackSetup, 'nope')).toThrow(/Slack has no setup field nope/);
  });
});

describe('inlineSegments', () => {
  it('splits `code` runs from plain text', () => {
    expect(inlineSegments('Starts with `xoxb-`, from `OAuth`.')).toEqual([
      { text: 'Starts with ', code: false },
      { text: 'xoxb-', code: true },
      { text: ', from ', code: false },
      { text: 'OAuth', code: true },
      { text: '.', code: false },
    ]);
  });

  it('leaves text without backticks, or with an unmatched one, as it is', () => {
    expect(inlineSegments('plain')).toEqual([{ text: 'plain', code: false }]);
    expect(inlineSegments('a ` b')).toEqual([{ text: 'a ` b', code: false }]);
    expect(inlineSegments('')).toEqual([]);
  });
});
