// A local fake of the parts of Twilio Parley uses: the Programmable Messaging
// REST API (account fetch, message create/fetch/list) with Twilio's validation and
// error codes, status callbacks, request signing and the parameter sets of
// incoming-message webhooks. Works with the official twilio SDK:
//
//   const fake = await startFakeTwilio();
//   fake.addAccount({ sid: ACCOUNT_SID, authToken: 'token', friendlyName: 'Acme', numbers: ['+15550001111'] });
//   const client = twilio(ACCOUNT_SID, 'token', { region: '', edge: '' });
//   client.api.baseUrl = fake.url;
//   const msg = await client.messages.create({ from: '+15550001111', to: '+15557654321', body: 'hi', statusCallback });
//   await fake.sendStatus(msg.sid, 'delivered');           // signed POST to statusCallback
//   fake.updateStatus(msg.sid, 'sent');                      // the same, callback lost
//   await client.messages.list({ from, to, dateSentAfter, limit: 20 });   // newest first, paged
//   fake.account(ACCOUNT_SID).authToken = 'rotated';         // live: the old token now gets 401 / 20003
//   fake.failNext('messages.create', { status: 500, lostResponse: true });   // accepted, answer lost
//   fake.delay('messages.create', 1500);                     // carried out at once, answered late
//   await postTwilioWebhook(appUrl, 'token', inboundSms({ accountSid: ACCOUNT_SID, from: '+15557654321', to: '+15550001111', body: 'hello' }));
//   ...
//   await fake.close();
export { startFakeTwilio, type FakeTwilio, type SendStatusOptions, type SendStatusResult } from './server.ts';
export type {
  Account,
  AccountSpec,
  AccountStatus,
  CallbackStatus,
  FailableOp,
  Failure,
  MessageStatus,
  RecordedCall,
  SentMessage,
} from './state.ts';
export {
  encodeForm,
  postTwilioWebhook,
  twilioSignature,
  type PostTwilioWebhookOptions,
  type TwilioParams,
  type WebhookResponse,
} from './signing.ts';
export {
  inboundSms,
  inboundWhatsApp,
  statusCallbackParams,
  type InboundMedia,
  type InboundSmsInput,
  type InboundWhatsAppInput,
} from './payloads.ts';
export { nextMessageSid, randomSid } from './ids.ts';
