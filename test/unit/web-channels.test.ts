// The channel registry: labels, icons, and where a reply goes, per channel.
import { describe, expect, it } from 'vitest';
import { channelOrder, channels, destination } from '../../web/src/channels/registry.ts';

const integration = { smsNumber: '+15550001111', whatsappNumber: '+15550002222' };

describe('destination', () => {
  it('Slack: the channel and the thread', () => {
    expect(destination({ channel: 'SLACK', conversation: { slackChannelName: 'support', slackChannelId: 'C0SUPPORT1', slackThreadTs: '1700000000.000100' } })).toBe(
      'Slack · #support · in thread',
    );
    expect(destination({ channel: 'SLACK', conversation: { slackChannelName: 'Direct message', slackChannelId: 'D0DIRECT01', slackThreadTs: '1.2' } })).toBe(
      'Slack · direct message · in thread',
    );
    expect(destination({ channel: 'SLACK', conversation: { slackChannelId: 'C0SUPPORT1' } })).toBe('Slack · channel C0SUPPORT1');
  });

  it('SMS: to the customer from the number they wrote to, else the integration number', () => {
    expect(destination({ channel: 'SMS', conversation: { address: '+14155550100', ourAddress: '+15550003333', integration } })).toBe(
      'SMS to +1 415 555 0100 from +1 555 000 3333',
    );
    expect(destination({ channel: 'SMS', conversation: { address: '+14155550100', ourAddress: null, integration } })).toBe(
      'SMS to +1 415 555 0100 from +1 555 000 1111',
    );
  });

  it('WhatsApp: the WhatsApp number, not the SMS one', () => {
    expect(destination({ channel: 'WHATSAPP', conversation: { address: '+442079460958', integration } })).toBe(
      'WhatsApp to +44 207 946 0958 from +1 555 000 2222',
    );
    expect(destination({ channel: 'WHATSAPP', contact: { phone: '+14155550100' }, conversation: {} })).toBe('WhatsApp to +1 415 555 0100');
  });

  it('Email: the address and the subject the server sends the reply with (its prefixes are the adapter\'s, tested in email-parsing)', () => {
    expect(destination({ channel: 'EMAIL', conversation: { address: 'eve@example.com', replySubject: 'Re: Invoice question' } })).toBe(
      'Email to eve@example.com · Re: Invoice question',
    );
    expect(destination({ channel: 'EMAIL', contact: { email: 'cora@example.com' }, conversation: { replySubject: null } })).toBe(
      'Email to cora@example.com · Re: your message',
    );
  });
});

describe('registry', () => {
  it('has a label, an icon and a colour for every channel', () => {
    expect(channelOrder).toEqual(['SLACK', 'EMAIL', 'SMS', 'WHATSAPP']);
    for (const c of channelOrder) {
      expect(channels[c].channel).toBe(c);
      expect(channels[c].label).toBeTruthy();
      expect(channels[c].icon.paths.length).toBeGreaterThan(0);
      expect(channels[c].color).toMatch(/^#[0-9a-f]{6}$/i);
    }
    expect(channels.SMS.maxReplyLength).toBe(1600);
  });

});
