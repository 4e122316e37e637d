// A local fake of the parts of SendGrid Parley uses: the v3 API (GET
// /v3/scopes, POST /v3/mail/send with SendGrid's validation and error
// bodies), Event Webhook payloads with ECDSA signatures, and Inbound Parse
// multipart posts. Works with the official @sendgrid/mail and @sendgrid/client:
//
//   const fake = await startFakeSendGrid();
//   fake.addKey({ key: 'SG.test.secret', scopes: ['mail.send'] });
//
//   const client = new Client();
//   client.setApiKey('SG.test.secret');                // resets baseUrl to api.sendgrid.com...
//   client.setDefaultRequest('baseUrl', fake.url);     // ...so point it at the fake afterwards
//
//   const mail = new MailService();
//   mail.setClient(client);                            // or: mail.setApiKey(key), then the same
//                                                      // setDefaultRequest on mail's `client` property
//                                                      // (untyped in @sendgrid/mail's .d.ts)
//   const [res] = await mail.send({ to, from, subject, text });
//   res.headers['x-message-id'] === fake.sent[0].messageId;
//
//   const keys = generateWebhookKeys();                // keys.publicKey is what SendGrid's console shows
//   await postEventWebhook(url, eventsForMail(fake.sent[0], 'delivered'), { privateKey: keys.privateKey });
//   await postInboundParse(url, inboundParseForm({ from, to, subject, text }));
//   await fake.close();
export { startFakeSendGrid, type FakeSendGrid } from './server.ts';
export type { ApiKeySpec, EmailObject, ErrorItem, FailOp, Failure, MailSendBody, Personalization, RecordedCall, SentMail } from './state.ts';
export { RESERVED_HEADERS, MAX_BODY_BYTES } from './mail-send.ts';
export { event, eventsForMail, type EventInput, type EventType, type SendGridEvent } from './events.ts';
export {
  generateWebhookKeys,
  postEventWebhook,
  signatureHeaders,
  signSendGridWebhook,
  verifySendGridSignature,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  type PostEventWebhookOptions,
  type WebhookKeys,
} from './signing.ts';
export {
  inboundParseForm,
  postInboundParse,
  type InboundAttachment,
  type InboundEmail,
  type InboundParseForm,
  type PostInboundParseOptions,
} from './inbound-parse.ts';
export { publishedExampleForm, publishedExamplePayload } from './published-example.ts';
export { encodeMultipart, SENDGRID_BOUNDARY, type FormPart } from './multipart.ts';
export { newMessageId, sgMessageId } from './ids.ts';
