// Table tests for Slack text conversion (text.ts) and the event filter
// (events.ts parseEvent): which events become customer messages, and how.
import { describe, expect, it } from 'vitest';
import { parseEvent, type FilterState } from '../../server/src/channels/slack/events.ts';
import { parseEnvelope } from '../../server/src/channels/slack/inbound.ts';
import { plainToSlackText, slackTextToPlain } from '../../server/src/channels/slack/text.ts';
import { eventCallback, messageChangedEvent, messageDeletedEvent, messageEvent, appMentionEvent } from '../fakes/slack/index.ts';

describe('slackTextToPlain', () => {
  it.each([
    ['plain text', 'plain text'],
    ['user mention by id', '<@U0123ABC> help', '@U0123ABC help'],
    ['user mention with label', '<@U0123ABC|cora> hi', '@cora hi'],
    ['channel with name', 'see <#C0SUPPORT1|support>', 'see #support'],
    ['channel without name', 'see <#C0SUPPORT1>', 'see #C0SUPPORT1'],
    ['special mention', '<!here> look', '@here look'],
    ['channel-wide mention', '<!channel>', '@channel'],
    ['user group keeps its handle once', 'ping <!subteam^S0123|@oncall>', 'ping @oncall'],
    ['date falls back to its text', '<!date^1392734382^{date_num}|2014-02-18 6:39 AM>', '2014-02-18 6:39 AM'],
    ['bare link', '<https://example.com/a?b=1>', 'https://example.com/a?b=1'],
    ['labelled link', '<https://example.com|the site>', 'the site (https://example.com)'],
    ['link labelled with itself', '<https://example.com|https://example.com>', 'https://example.com'],
    ['mailto with address as label', '<mailto:cora@example.com|cora@example.com>', 'cora@example.com'],
    ['escaped ampersand in a link', '<https://x.test/?a=1&amp;b=2|x>', 'x (https://x.test/?a=1&b=2)'],
    ['label containing a pipe', '<https://x.test|a | b>', 'a | b (https://x.test)'],
    ['html escapes', '1 &lt; 2 &amp;&amp; 3 &gt; 2', '1 < 2 && 3 > 2'],
    ['escaped entity stays literal', 'write &amp;lt; for <', 'write &lt; for <'],
    ['multi-line', 'line one\nline <@U1|two>', 'line one\nline @two'],
  ])('%s', (_name, input, expected = input) => {
    expect(slackTextToPlain(input)).toBe(expected);
  });
});

describe('plainToSlackText', () => {
  it.each([
    ['a < b > c', 'a &lt; b &gt; c'],
    ['fish & chips', 'fish &amp; chips'],
    ['&lt; literal', '&amp;lt; literal'],
    ['<@U123> is not a mention', '&lt;@U123&gt; is not a mention'],
  ])('%s', (input, expected) => {
    expect(plainToSlackText(input)).toBe(expected);
    expect(slackTextToPlain(plainToSlackText(input))).toBe(input);
  });
});

const TEAM = 'T0UNIT0001';
const BOT = 'U0BOTUSER1';
const state = (over: Partial<FilterState['settings']> = {}): FilterState => ({
  settings: { teamId: TEAM, teamName: 'Unit', botUserId: BOT, botId: 'B0BOT', mode: 'events', allowedUserIds: [], ...over },
  monitoredChannels: new Set(['C0SUPPORT1']),
  channelNames: new Map([['C0SUPPORT1', 'support'], ['C0RANDOM01', 'random']]),
});
const envelopeOf = (event: Record<string, unknown>, teamId = TEAM) => {
  const env = parseEnvelope(eventCallback({ teamId, event }));
  if (env?.type !== 'event_callback') throw new Error('not an event_callback');
  return env;
};
const msg = (over: Partial<Parameters<typeof messageEvent>[0]> = {}) => messageEvent({ channel: 'C0SUPPORT1', user: 'U0CUSTOMER', channelType: 'channel', text: 'Hello', ...over });
const base = msg();

describe('parseEvent filtering', () => {
  it.each<[string, Record<string, unknown>, string | RegExp, Partial<FilterState['settings']>?]>([
    ['an edit', messageChangedEvent({ channel: 'C0SUPPORT1', channelType: 'channel', previous: base, newText: 'edited' }), /subtype message_changed/],
    ['a deletion', messageDeletedEvent({ channel: 'C0SUPPORT1', channelType: 'channel', deletedTs: String(base.ts) }), /subtype message_deleted/],
    ['a join', msg({ subtype: 'channel_join', text: '<@U0CUSTOMER> has joined the channel' }), /subtype channel_join/],
    ['a topic change', msg({ subtype: 'channel_topic', text: 'set the topic' }), /subtype channel_topic/],
    ['a bot_message', msg({ subtype: 'bot_message', botId: 'B0OTHER' }), /subtype bot_message/],
    ['a thread summary (message_replied)', msg({ subtype: 'message_replied' }), /subtype message_replied/],
    ['a message with bot_id', msg({ botId: 'B0OTHER' }), /bot/],
    ['a message without user', { ...msg(), user: undefined }, /bot/],
    ['our own bot user', msg({ user: BOT }), /own bot/],
    ['a user outside the allowed list', msg(), /allowed/, { allowedUserIds: ['U0SOMEONE'] }],
    ['an unmonitored channel', msg({ channel: 'C0RANDOM01' }), /not monitored/],
    ['an app_mention in an unmonitored channel', appMentionEvent({ channel: 'C0RANDOM01', user: 'U0CUSTOMER', text: `<@${BOT}> hi` }), /not monitored/],
    ['an empty message', msg({ text: '   ' }), /empty/],
    ['another event type', { type: 'reaction_added', user: 'U0CUSTOMER', reaction: 'tada', event_ts: '1.2' }, /reaction_added/],
    ['a message event without ts', { type: 'message', channel: 'C0SUPPORT1', user: 'U0CUSTOMER', text: 'x' }, /without channel or ts/],
  ])('drops %s', (_name, event, reason, settings) => {
    const parsed = parseEvent(envelopeOf(event), state(settings));
    expect(parsed).toEqual({ dropped: expect.stringMatching(reason) });
  });

  it('drops events from another workspace', () => {
    expect(parseEvent(envelopeOf(msg(), 'T0ELSEWHERE'), state())).toEqual({ dropped: expect.stringMatching(/another Slack workspace/) });
  });

  it.each<[string, Record<string, unknown>, Partial<FilterState['settings']>?]>([
    ['a plain message in a monitored channel', msg()],
    ['a user on a non-empty allowed list', msg(), { allowedUserIds: ['U0CUSTOMER', 'U0OTHER'] }],
    ['a DM (channel_type im)', msg({ channel: 'D0DIRECT01', channelType: 'im' })],
    ['a DM recognised by its D id', { ...msg({ channel: 'D0DIRECT01' }), channel_type: undefined }],
    ['an app_mention', appMentionEvent({ channel: 'C0SUPPORT1', user: 'U0CUSTOMER', text: `<@${BOT}> hi` })],
    ['a thread_broadcast', msg({ subtype: 'thread_broadcast', threadTs: '1700000000.000100' })],
    ['a me_message', msg({ subtype: 'me_message' })],
  ])('takes %s', (_name, event, settings) => {
    const parsed = parseEvent(envelopeOf(event), state(settings));
    expect(parsed).toHaveProperty('message');
  });

  it('takes a file_share, with its files as attachments even without text', () => {
    const files = [{ id: 'F0FILE0001', name: 'screenshot.png', title: 'Screenshot', mimetype: 'image/png', size: 1234, url_private: 'https://files.slack.test/F0FILE0001', permalink: 'https://acme.slack.test/files/F0FILE0001' }];
    const parsed = parseEvent(envelopeOf(msg({ subtype: 'file_share', text: '', files })), state());
    if (!('message' in parsed)) throw new Error(parsed.dropped);
    expect(parsed.message.body).toBe('');
    expect(parsed.message.attachments).toEqual([{ name: 'screenshot.png', contentType: 'image/png', size: 1234, url: 'https://acme.slack.test/files/F0FILE0001', providerId: 'F0FILE0001' }]);
  });

  it('keys a top-level message by its own ts and a thread reply by its root; a mention shares the message id', () => {
    const top = parseEvent(envelopeOf(msg({ ts: '1700000001.000100', text: 'Hi <@U0X|tess> &amp; team' })), state());
    const parent = parseEvent(envelopeOf(msg({ ts: '1700000001.000200', threadTs: '1700000001.000200' })), state());
    const reply = parseEvent(envelopeOf(msg({ ts: '1700000002.000100', threadTs: '1700000001.000100' })), state());
    const mention = parseEvent(envelopeOf(appMentionEvent({ channel: 'C0SUPPORT1', user: 'U0CUSTOMER', ts: '1700000001.000100', text: 'x' })), state());
    const dm = parseEvent(envelopeOf(msg({ channel: 'D0DIRECT01', channelType: 'im', ts: '1700000003.000100' })), state());
    if (!('message' in top) || !('message' in parent) || !('message' in reply) || !('message' in mention) || !('message' in dm)) throw new Error('dropped');
    expect(top.message).toMatchObject({
      providerMessageId: 'C0SUPPORT1:1700000001.000100', body: 'Hi @tess & team', sender: { id: 'U0CUSTOMER', slackUserId: 'U0CUSTOMER' }, senderNeedsLookup: true,
      bundleKey: 'C0SUPPORT1:top', threadKey: 'C0SUPPORT1:1700000001.000100',
      conversation: { slackChannelId: 'C0SUPPORT1', slackChannelName: 'support', slackThreadTs: '1700000001.000100' },
    });
    expect(parent.message).toMatchObject({ bundleKey: 'C0SUPPORT1:top', threadKey: 'C0SUPPORT1:1700000001.000200' });
    expect(reply.message).toMatchObject({ bundleKey: 'C0SUPPORT1:1700000001.000100', threadKey: 'C0SUPPORT1:1700000001.000100', conversation: { slackThreadTs: '1700000001.000100' } });
    expect(mention.message.providerMessageId).toBe(top.message.providerMessageId);
    expect(dm.message.conversation).toMatchObject({ slackChannelId: 'D0DIRECT01', slackChannelName: 'Direct message' });
  });

  it('refuses bodies that are not Events API payloads', () => {
    expect(parseEnvelope({ type: 'event_callback', team_id: TEAM })).toBeUndefined();
    expect(parseEnvelope({ type: 'block_actions' })).toBeUndefined();
    expect(parseEnvelope([1, 2])).toBeUndefined();
    expect(parseEnvelope({ type: 'url_verification', challenge: 'abc' })).toMatchObject({ challenge: 'abc' });
  });
});
