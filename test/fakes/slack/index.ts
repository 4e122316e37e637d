// A local fake of the parts of Slack Parley uses: the Web API (auth.test,
// conversations.list/info, users.info, chat.postMessage,
// apps.connections.open), Socket Mode, Events API payload builders and request
// signing. Works with the official @slack/web-api and @slack/socket-mode:
//
//   const slack = await startFakeSlack({ pingIntervalMs: 200 });
//   slack.addWorkspace({ teamId: 'T1', teamName: 'Acme', botToken: 'xoxb-1', botUserId: 'UBOT', botId: 'BBOT', appToken: 'xapp-1' });
//   const web = new WebClient('xoxb-1', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
//   const sm = new SocketModeClient({ appToken: 'xapp-1', clientOptions: { slackApiUrl: slack.apiUrl } });
//   ...
//   await slack.close();
export { startFakeSlack, type FakeSlack, type FakeSlackOptions, type FakeSocketMode } from './server.ts';
export type {
  Channel,
  ChannelSpec,
  Failure,
  PostedMessage,
  RecordedCall,
  User,
  UserSpec,
  Workspace,
  WorkspaceSpec,
} from './state.ts';
export type { AckRecord, ConnectRecord, SendEventOptions } from './socket-mode.ts';
export {
  appMentionEvent,
  eventCallback,
  messageChangedEvent,
  messageDeletedEvent,
  messageEvent,
  urlVerification,
  type AppMentionEventInput,
  type EventCallbackBody,
  type EventCallbackInput,
  type MessageEventInput,
} from './events.ts';
export { postSignedEvent, signSlackRequest, slackSignature, type PostSignedEventOptions, type SlackSignatureHeaders } from './signing.ts';
export { nextTs, nextEventId } from './ids.ts';
