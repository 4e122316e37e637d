/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query ContactDetail($id: ID!) {\n  contact(id: $id) {\n    ...ContactFields\n  }\n}": typeof types.ContactDetailDocument,
    "fragment ContactFields on Contact {\n  id\n  name\n  email\n  phone\n  slackUserId\n  createdAt\n}": typeof types.ContactFieldsFragmentDoc,
    "query ContactList($search: String, $first: Int!, $after: String) {\n  contacts(search: $search, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        ...ContactFields\n      }\n    }\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n  }\n}": typeof types.ContactListDocument,
    "mutation ContactMerge($sourceId: ID!, $targetId: ID!) {\n  mergeContacts(sourceId: $sourceId, targetId: $targetId) {\n    ...ContactFields\n  }\n}": typeof types.ContactMergeDocument,
    "query ContactTaskCount($contactId: ID!, $first: Int!) {\n  tasks(contactId: $contactId, first: $first) {\n    edges {\n      node {\n        id\n      }\n    }\n    pageInfo {\n      hasNextPage\n    }\n  }\n}": typeof types.ContactTaskCountDocument,
    "query ContactTasks($contactId: ID!, $first: Int!, $after: String) {\n  tasks(contactId: $contactId, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        title\n        status\n        channel\n        createdAt\n        lastMessageAt\n        assignee {\n          id\n          name\n        }\n      }\n    }\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n  }\n}": typeof types.ContactTasksDocument,
    "query ContactViewer {\n  me {\n    id\n    role\n  }\n}": typeof types.ContactViewerDocument,
    "fragment InboxTaskEdge on TaskEdge {\n  cursor\n  node {\n    id\n  }\n}": typeof types.InboxTaskEdgeFragmentDoc,
    "fragment InboxTaskFields on Task {\n  id\n  title\n  status\n  channel\n  preview\n  type\n  priority\n  createdAt\n  lastMessageAt\n  updatedAt\n  contact {\n    id\n    name\n    email\n    phone\n    slackUserId\n  }\n  assignee {\n    id\n    name\n  }\n}": typeof types.InboxTaskFieldsFragmentDoc,
    "query InboxTasks($status: TaskStatus, $channel: Channel, $assigneeId: ID, $unassigned: Boolean, $contactId: ID, $first: Int!, $after: String) {\n  tasks(\n    status: $status\n    channel: $channel\n    assigneeId: $assigneeId\n    unassigned: $unassigned\n    contactId: $contactId\n    first: $first\n    after: $after\n  ) {\n    edges {\n      cursor\n      node {\n        ...InboxTaskFields\n      }\n    }\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n  }\n}": typeof types.InboxTasksDocument,
    "query Me {\n  me {\n    id\n    name\n    email\n    role\n  }\n  workspace {\n    id\n    name\n  }\n}": typeof types.MeDocument,
    "mutation SettingsAddMember($name: String!, $email: String!, $password: String!, $role: Role!, $slackUserId: String, $phone: String) {\n  addMember(\n    name: $name\n    email: $email\n    password: $password\n    role: $role\n    slackUserId: $slackUserId\n    phone: $phone\n  ) {\n    ...SettingsMemberFields\n  }\n}": typeof types.SettingsAddMemberDocument,
    "query SettingsApiKeys {\n  apiKeys {\n    id\n    name\n    prefix\n    createdAt\n    lastUsedAt\n    createdBy {\n      id\n      name\n    }\n  }\n}": typeof types.SettingsApiKeysDocument,
    "mutation SettingsConnectSendGrid($input: ConnectSendGridInput!) {\n  connectSendGrid(input: $input) {\n    ...SettingsIntegrationFields\n  }\n}": typeof types.SettingsConnectSendGridDocument,
    "mutation SettingsConnectSlack($input: ConnectSlackInput!) {\n  connectSlack(input: $input) {\n    ...SettingsIntegrationFields\n  }\n}": typeof types.SettingsConnectSlackDocument,
    "mutation SettingsConnectTwilio($input: ConnectTwilioInput!) {\n  connectTwilio(input: $input) {\n    ...SettingsIntegrationFields\n  }\n}": typeof types.SettingsConnectTwilioDocument,
    "mutation SettingsCreateApiKey($name: String!) {\n  createApiKey(name: $name) {\n    key\n  }\n}": typeof types.SettingsCreateApiKeyDocument,
    "mutation SettingsDisconnectIntegration($id: ID!) {\n  disconnectIntegration(id: $id) {\n    id\n    status\n  }\n}": typeof types.SettingsDisconnectIntegrationDocument,
    "fragment SettingsIntegrationFields on Integration {\n  id\n  provider\n  status\n  displayName\n  lastError\n  webhookUrl\n  statusWebhookUrl\n  createdAt\n  slackAllowedUserIds\n  smsNumber\n  whatsappNumber\n  fromEmail\n  fromName\n  inboundDomain\n  webhookSigned\n}": typeof types.SettingsIntegrationFieldsFragmentDoc,
    "query SettingsIntegrations {\n  integrations {\n    ...SettingsIntegrationFields\n  }\n}": typeof types.SettingsIntegrationsDocument,
    "fragment SettingsMemberFields on Member {\n  id\n  name\n  email\n  role\n  slackUserId\n  phone\n}": typeof types.SettingsMemberFieldsFragmentDoc,
    "query SettingsMembers {\n  members {\n    ...SettingsMemberFields\n  }\n}": typeof types.SettingsMembersDocument,
    "mutation SettingsRevokeApiKey($id: ID!) {\n  revokeApiKey(id: $id)\n}": typeof types.SettingsRevokeApiKeyDocument,
    "mutation SettingsSetMonitoredChannels($integrationId: ID!, $channelIds: [ID!]!) {\n  setMonitoredChannels(integrationId: $integrationId, channelIds: $channelIds) {\n    id\n    name\n    isMember\n    monitored\n  }\n}": typeof types.SettingsSetMonitoredChannelsDocument,
    "mutation SettingsSetSlackAllowedUsers($integrationId: ID!, $userIds: [String!]!) {\n  setSlackAllowedUsers(integrationId: $integrationId, userIds: $userIds) {\n    id\n    slackAllowedUserIds\n  }\n}": typeof types.SettingsSetSlackAllowedUsersDocument,
    "query SettingsSlackChannels($integrationId: ID!) {\n  slackChannels(integrationId: $integrationId) {\n    id\n    name\n    isMember\n    monitored\n  }\n}": typeof types.SettingsSlackChannelsDocument,
    "mutation SettingsUpdateMember($id: ID!, $name: String, $role: Role, $slackUserId: String, $phone: String) {\n  updateMember(\n    id: $id\n    name: $name\n    role: $role\n    slackUserId: $slackUserId\n    phone: $phone\n  ) {\n    ...SettingsMemberFields\n  }\n}": typeof types.SettingsUpdateMemberDocument,
    "mutation SignIn($email: String!, $password: String!) {\n  signIn(email: $email, password: $password) {\n    token\n    member {\n      id\n      name\n      email\n      role\n    }\n    workspace {\n      id\n      name\n    }\n  }\n}": typeof types.SignInDocument,
    "mutation SignOut {\n  signOut\n}": typeof types.SignOutDocument,
    "mutation SignUp($workspaceName: String!, $name: String!, $email: String!, $password: String!) {\n  signUp(\n    workspaceName: $workspaceName\n    name: $name\n    email: $email\n    password: $password\n  ) {\n    token\n    member {\n      id\n      name\n      email\n      role\n    }\n    workspace {\n      id\n      name\n    }\n  }\n}": typeof types.SignUpDocument,
    "mutation TaskAssign($taskId: ID!, $memberId: ID) {\n  assignTask(taskId: $taskId, memberId: $memberId) {\n    id\n    updatedAt\n    assignee {\n      id\n      name\n    }\n  }\n}": typeof types.TaskAssignDocument,
    "query TaskContactTasks($contactId: ID!, $first: Int!) {\n  tasks(contactId: $contactId, first: $first) {\n    edges {\n      cursor\n      node {\n        ...InboxTaskFields\n      }\n    }\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n  }\n}": typeof types.TaskContactTasksDocument,
    "subscription TaskCreated {\n  taskCreated {\n    ...InboxTaskFields\n  }\n}": typeof types.TaskCreatedDocument,
    "query TaskDetail($id: ID!) {\n  task(id: $id) {\n    ...InboxTaskFields\n    suggestedAssignee {\n      id\n      name\n    }\n    triageReason\n    conversation {\n      channel\n      address\n      ourAddress\n      subject\n      replySubject\n      slackChannelId\n      slackChannelName\n      slackThreadTs\n      integration {\n        id\n        provider\n        displayName\n        smsNumber\n        whatsappNumber\n        fromEmail\n      }\n    }\n    messages {\n      ...TaskMessageFields\n    }\n  }\n}": typeof types.TaskDetailDocument,
    "query TaskMembers {\n  members {\n    id\n    name\n    role\n  }\n}": typeof types.TaskMembersDocument,
    "fragment TaskMessageFields on Message {\n  id\n  direction\n  status\n  body\n  fullBody\n  error\n  errorCode\n  createdAt\n  author {\n    id\n    name\n  }\n  attachments {\n    name\n    contentType\n    size\n    url\n    omitted\n  }\n}": typeof types.TaskMessageFieldsFragmentDoc,
    "subscription TaskMessageUpdated($taskId: ID!) {\n  messageUpdated(taskId: $taskId) {\n    ...TaskMessageFields\n  }\n}": typeof types.TaskMessageUpdatedDocument,
    "mutation TaskReply($taskId: ID!, $body: String!) {\n  replyToTask(taskId: $taskId, body: $body) {\n    ...TaskMessageFields\n  }\n}": typeof types.TaskReplyDocument,
    "mutation TaskRetryMessage($messageId: ID!) {\n  retryMessage(messageId: $messageId) {\n    ...TaskMessageFields\n  }\n}": typeof types.TaskRetryMessageDocument,
    "mutation TaskSetStatus($taskId: ID!, $status: TaskStatus!) {\n  setTaskStatus(taskId: $taskId, status: $status) {\n    id\n    status\n  }\n}": typeof types.TaskSetStatusDocument,
    "subscription TaskUpdated {\n  taskUpdated {\n    ...InboxTaskFields\n    suggestedAssignee {\n      id\n      name\n    }\n    triageReason\n  }\n}": typeof types.TaskUpdatedDocument,
};
const documents: Documents = {
    "query ContactDetail($id: ID!) {\n  contact(id: $id) {\n    ...ContactFields\n  }\n}": types.ContactDetailDocument,
    "fragment ContactFields on Contact {\n  id\n  name\n  email\n  phone\n  slackUserId\n  createdAt\n}": types.ContactFieldsFragmentDoc,
    "query ContactList($search: String, $first: Int!, $after: String) {\n  contacts(search: $search, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        ...ContactFields\n      }\n    }\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n  }\n}": types.ContactListDocument,
    "mutation ContactMerge($sourceId: ID!, $targetId: ID!) {\n  mergeContacts(sourceId: $sourceId, targetId: $targetId) {\n    ...ContactFields\n  }\n}": types.ContactMergeDocument,
    "query ContactTaskCount($contactId: ID!, $first: Int!) {\n  tasks(contactId: $contactId, first: $first) {\n    edges {\n      node {\n        id\n      }\n    }\n    pageInfo {\n      hasNextPage\n    }\n  }\n}": types.ContactTaskCountDocument,
    "query ContactTasks($contactId: ID!, $first: Int!, $after: String) {\n  tasks(contactId: $contactId, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        title\n        status\n        channel\n        createdAt\n        lastMessageAt\n        assignee {\n          id\n          name\n        }\n      }\n    }\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n  }\n}": types.ContactTasksDocument,
    "query ContactViewer {\n  me {\n    id\n    role\n  }\n}": types.ContactViewerDocument,
    "fragment InboxTaskEdge on TaskEdge {\n  cursor\n  node {\n    id\n  }\n}": types.InboxTaskEdgeFragmentDoc,
    "fragment InboxTaskFields on Task {\n  id\n  title\n  status\n  channel\n  preview\n  type\n  priority\n  createdAt\n  lastMessageAt\n  updatedAt\n  contact {\n    id\n    name\n    email\n    phone\n    slackUserId\n  }\n  assignee {\n    id\n    name\n  }\n}": types.InboxTaskFieldsFragmentDoc,
    "query InboxTasks($status: TaskStatus, $channel: Channel, $assigneeId: ID, $unassigned: Boolean, $contactId: ID, $first: Int!, $after: String) {\n  tasks(\n    status: $status\n    channel: $channel\n    assigneeId: $assigneeId\n    unassigned: $unassigned\n    contactId: $contactId\n    first: $first\n    after: $after\n  ) {\n    edges {\n      cursor\n      node {\n        ...InboxTaskFields\n      }\n    }\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n  }\n}": types.InboxTasksDocument,
    "query Me {\n  me {\n    id\n    name\n    email\n    role\n  }\n  workspace {\n    id\n    name\n  }\n}": types.MeDocument,
    "mutation SettingsAddMember($name: String!, $email: String!, $password: String!, $role: Role!, $slackUserId: String, $phone: String) {\n  addMember(\n    name: $name\n    email: $email\n    password: $password\n    role: $role\n    slackUserId: $slackUserId\n    phone: $phone\n  ) {\n    ...SettingsMemberFields\n  }\n}": types.SettingsAddMemberDocument,
    "query SettingsApiKeys {\n  apiKeys {\n    id\n    name\n    prefix\n    createdAt\n    lastUsedAt\n    createdBy {\n      id\n      name\n    }\n  }\n}": types.SettingsApiKeysDocument,
    "mutation SettingsConnectSendGrid($input: ConnectSendGridInput!) {\n  connectSendGrid(input: $input) {\n    ...SettingsIntegrationFields\n  }\n}": types.SettingsConnectSendGridDocument,
    "mutation SettingsConnectSlack($input: ConnectSlackInput!) {\n  connectSlack(input: $input) {\n    ...SettingsIntegrationFields\n  }\n}": types.SettingsConnectSlackDocument,
    "mutation SettingsConnectTwilio($input: ConnectTwilioInput!) {\n  connectTwilio(input: $input) {\n    ...SettingsIntegrationFields\n  }\n}": types.SettingsConnectTwilioDocument,
    "mutation SettingsCreateApiKey($name: String!) {\n  createApiKey(name: $name) {\n    key\n  }\n}": types.SettingsCreateApiKeyDocument,
    "mutation SettingsDisconnectIntegration($id: ID!) {\n  disconnectIntegration(id: $id) {\n    id\n    status\n  }\n}": types.SettingsDisconnectIntegrationDocument,
    "fragment SettingsIntegrationFields on Integration {\n  id\n  provider\n  status\n  displayName\n  lastError\n  webhookUrl\n  statusWebhookUrl\n  createdAt\n  slackAllowedUserIds\n  smsNumber\n  whatsappNumber\n  fromEmail\n  fromName\n  inboundDomain\n  webhookSigned\n}": types.SettingsIntegrationFieldsFragmentDoc,
    "query SettingsIntegrations {\n  integrations {\n    ...SettingsIntegrationFields\n  }\n}": types.SettingsIntegrationsDocument,
    "fragment SettingsMemberFields on Member {\n  id\n  name\n  email\n  role\n  slackUserId\n  phone\n}": types.SettingsMemberFieldsFragmentDoc,
    "query SettingsMembers {\n  members {\n    ...SettingsMemberFields\n  }\n}": types.SettingsMembersDocument,
    "mutation SettingsRevokeApiKey($id: ID!) {\n  revokeApiKey(id: $id)\n}": types.SettingsRevokeApiKeyDocument,
    "mutation SettingsSetMonitoredChannels($integrationId: ID!, $channelIds: [ID!]!) {\n  setMonitoredChannels(integrationId: $integrationId, channelIds: $channelIds) {\n    id\n    name\n    isMember\n    monitored\n  }\n}": types.SettingsSetMonitoredChannelsDocument,
    "mutation SettingsSetSlackAllowedUsers($integrationId: ID!, $userIds: [String!]!) {\n  setSlackAllowedUsers(integrationId: $integrationId, userIds: $userIds) {\n    id\n    slackAllowedUserIds\n  }\n}": types.SettingsSetSlackAllowedUsersDocument,
    "query SettingsSlackChannels($integrationId: ID!) {\n  slackChannels(integrationId: $integrationId) {\n    id\n    name\n    isMember\n    monitored\n  }\n}": types.SettingsSlackChannelsDocument,
    "mutation SettingsUpdateMember($id: ID!, $name: String, $role: Role, $slackUserId: String, $phone: String) {\n  updateMember(\n    id: $id\n    name: $name\n    role: $role\n    slackUserId: $slackUserId\n    phone: $phone\n  ) {\n    ...SettingsMemberFields\n  }\n}": types.SettingsUpdateMemberDocument,
    "mutation SignIn($email: String!, $password: String!) {\n  signIn(email: $email, password: $password) {\n    token\n    member {\n      id\n      name\n      email\n      role\n    }\n    workspace {\n      id\n      name\n    }\n  }\n}": types.SignInDocument,
    "mutation SignOut {\n  signOut\n}": types.SignOutDocument,
    "mutation SignUp($workspaceName: String!, $name: String!, $email: String!, $password: String!) {\n  signUp(\n    workspaceName: $workspaceName\n    name: $name\n    email: $email\n    password: $password\n  ) {\n    token\n    member {\n      id\n      name\n      email\n      role\n    }\n    workspace {\n      id\n      name\n    }\n  }\n}": types.SignUpDocument,
    "mutation TaskAssign($taskId: ID!, $memberId: ID) {\n  assignTask(taskId: $taskId, memberId: $memberId) {\n    id\n    updatedAt\n    assignee {\n      id\n      name\n    }\n  }\n}": types.TaskAssignDocument,
    "query TaskContactTasks($contactId: ID!, $first: Int!) {\n  tasks(contactId: $contactId, first: $first) {\n    edges {\n      cursor\n      node {\n        ...InboxTaskFields\n      }\n    }\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n  }\n}": types.TaskContactTasksDocument,
    "subscription TaskCreated {\n  taskCreated {\n    ...InboxTaskFields\n  }\n}": types.TaskCreatedDocument,
    "query TaskDetail($id: ID!) {\n  task(id: $id) {\n    ...InboxTaskFields\n    suggestedAssignee {\n      id\n      name\n    }\n    triageReason\n    conversation {\n      channel\n      address\n      ourAddress\n      subject\n      replySubject\n      slackChannelId\n      slackChannelName\n      slackThreadTs\n      integration {\n        id\n        provider\n        displayName\n        smsNumber\n        whatsappNumber\n        fromEmail\n      }\n    }\n    messages {\n      ...TaskMessageFields\n    }\n  }\n}": types.TaskDetailDocument,
    "query TaskMembers {\n  members {\n    id\n    name\n    role\n  }\n}": types.TaskMembersDocument,
    "fragment TaskMessageFields on Message {\n  id\n  direction\n  status\n  body\n  fullBody\n  error\n  errorCode\n  createdAt\n  author {\n    id\n    name\n  }\n  attachments {\n    name\n    contentType\n    size\n    url\n    omitted\n  }\n}": types.TaskMessageFieldsFragmentDoc,
    "subscription TaskMessageUpdated($taskId: ID!) {\n  messageUpdated(taskId: $taskId) {\n    ...TaskMessageFields\n  }\n}": types.TaskMessageUpdatedDocument,
    "mutation TaskReply($taskId: ID!, $body: String!) {\n  replyToTask(taskId: $taskId, body: $body) {\n    ...TaskMessageFields\n  }\n}": types.TaskReplyDocument,
    "mutation TaskRetryMessage($messageId: ID!) {\n  retryMessage(messageId: $messageId) {\n    ...TaskMessageFields\n  }\n}": types.TaskRetryMessageDocument,
    "mutation TaskSetStatus($taskId: ID!, $status: TaskStatus!) {\n  setTaskStatus(taskId: $taskId, status: $status) {\n    id\n    status\n  }\n}": types.TaskSetStatusDocument,
    "subscription TaskUpdated {\n  taskUpdated {\n    ...InboxTaskFields\n    suggestedAssignee {\n      id\n      name\n    }\n    triageReason\n  }\n}": types.TaskUpdatedDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ContactDetail($id: ID!) {\n  contact(id: $id) {\n    ...ContactFields\n  }\n}"): (typeof documents)["query ContactDetail($id: ID!) {\n  contact(id: $id) {\n    ...ContactFields\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment ContactFields on Contact {\n  id\n  name\n  email\n  phone\n  slackUserId\n  createdAt\n}"): (typeof documents)["fragment ContactFields on Contact {\n  id\n  name\n  email\n  phone\n  slackUserId\n  createdAt\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ContactList($search: String, $first: Int!, $after: String) {\n  contacts(search: $search, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        ...ContactFields\n      }\n    }\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n  }\n}"): (typeof documents)["query ContactList($search: String, $first: Int!, $after: String) {\n  contacts(search: $search, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        ...ContactFields\n      }\n    }\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ContactMerge($sourceId: ID!, $targetId: ID!) {\n  mergeContacts(sourceId: $sourceId, targetId: $targetId) {\n    ...ContactFields\n  }\n}"): (typeof documents)["mutation ContactMerge($sourceId: ID!, $targetId: ID!) {\n  mergeContacts(sourceId: $sourceId, targetId: $targetId) {\n    ...ContactFields\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ContactTaskCount($contactId: ID!, $first: Int!) {\n  tasks(contactId: $contactId, first: $first) {\n    edges {\n      node {\n        id\n      }\n    }\n    pageInfo {\n      hasNextPage\n    }\n  }\n}"): (typeof documents)["query ContactTaskCount($contactId: ID!, $first: Int!) {\n  tasks(contactId: $contactId, first: $first) {\n    edges {\n      node {\n        id\n      }\n    }\n    pageInfo {\n      hasNextPage\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ContactTasks($contactId: ID!, $first: Int!, $after: String) {\n  tasks(contactId: $contactId, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        title\n        status\n        channel\n        createdAt\n        lastMessageAt\n        assignee {\n          id\n          name\n        }\n      }\n    }\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n  }\n}"): (typeof documents)["query ContactTasks($contactId: ID!, $first: Int!, $after: String) {\n  tasks(contactId: $contactId, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        title\n        status\n        channel\n        createdAt\n        lastMessageAt\n        assignee {\n          id\n          name\n        }\n      }\n    }\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ContactViewer {\n  me {\n    id\n    role\n  }\n}"): (typeof documents)["query ContactViewer {\n  me {\n    id\n    role\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment InboxTaskEdge on TaskEdge {\n  cursor\n  node {\n    id\n  }\n}"): (typeof documents)["fragment InboxTaskEdge on TaskEdge {\n  cursor\n  node {\n    id\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment InboxTaskFields on Task {\n  id\n  title\n  status\n  channel\n  preview\n  type\n  priority\n  createdAt\n  lastMessageAt\n  updatedAt\n  contact {\n    id\n    name\n    email\n    phone\n    slackUserId\n  }\n  assignee {\n    id\n    name\n  }\n}"): (typeof documents)["fragment InboxTaskFields on Task {\n  id\n  title\n  status\n  channel\n  preview\n  type\n  priority\n  createdAt\n  lastMessageAt\n  updatedAt\n  contact {\n    id\n    name\n    email\n    phone\n    slackUserId\n  }\n  assignee {\n    id\n    name\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query InboxTasks($status: TaskStatus, $channel: Channel, $assigneeId: ID, $unassigned: Boolean, $contactId: ID, $first: Int!, $after: String) {\n  tasks(\n    status: $status\n    channel: $channel\n    assigneeId: $assigneeId\n    unassigned: $unassigned\n    contactId: $contactId\n    first: $first\n    after: $after\n  ) {\n    edges {\n      cursor\n      node {\n        ...InboxTaskFields\n      }\n    }\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n  }\n}"): (typeof documents)["query InboxTasks($status: TaskStatus, $channel: Channel, $assigneeId: ID, $unassigned: Boolean, $contactId: ID, $first: Int!, $after: String) {\n  tasks(\n    status: $status\n    channel: $channel\n    assigneeId: $assigneeId\n    unassigned: $unassigned\n    contactId: $contactId\n    first: $first\n    after: $after\n  ) {\n    edges {\n      cursor\n      node {\n        ...InboxTaskFields\n      }\n    }\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Me {\n  me {\n    id\n    name\n    email\n    role\n  }\n  workspace {\n    id\n    name\n  }\n}"): (typeof documents)["query Me {\n  me {\n    id\n    name\n    email\n    role\n  }\n  workspace {\n    id\n    name\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SettingsAddMember($name: String!, $email: String!, $password: String!, $role: Role!, $slackUserId: String, $phone: String) {\n  addMember(\n    name: $name\n    email: $email\n    password: $password\n    role: $role\n    slackUserId: $slackUserId\n    phone: $phone\n  ) {\n    ...SettingsMemberFields\n  }\n}"): (typeof documents)["mutation SettingsAddMember($name: String!, $email: String!, $password: String!, $role: Role!, $slackUserId: String, $phone: String) {\n  addMember(\n    name: $name\n    email: $email\n    password: $password\n    role: $role\n    slackUserId: $slackUserId\n    phone: $phone\n  ) {\n    ...SettingsMemberFields\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query SettingsApiKeys {\n  apiKeys {\n    id\n    name\n    prefix\n    createdAt\n    lastUsedAt\n    createdBy {\n      id\n      name\n    }\n  }\n}"): (typeof documents)["query SettingsApiKeys {\n  apiKeys {\n    id\n    name\n    prefix\n    createdAt\n    lastUsedAt\n    createdBy {\n      id\n      name\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SettingsConnectSendGrid($input: ConnectSendGridInput!) {\n  connectSendGrid(input: $input) {\n    ...SettingsIntegrationFields\n  }\n}"): (typeof documents)["mutation SettingsConnectSendGrid($input: ConnectSendGridInput!) {\n  connectSendGrid(input: $input) {\n    ...SettingsIntegrationFields\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SettingsConnectSlack($input: ConnectSlackInput!) {\n  connectSlack(input: $input) {\n    ...SettingsIntegrationFields\n  }\n}"): (typeof documents)["mutation SettingsConnectSlack($input: ConnectSlackInput!) {\n  connectSlack(input: $input) {\n    ...SettingsIntegrationFields\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SettingsConnectTwilio($input: ConnectTwilioInput!) {\n  connectTwilio(input: $input) {\n    ...SettingsIntegrationFields\n  }\n}"): (typeof documents)["mutation SettingsConnectTwilio($input: ConnectTwilioInput!) {\n  connectTwilio(input: $input) {\n    ...SettingsIntegrationFields\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SettingsCreateApiKey($name: String!) {\n  createApiKey(name: $name) {\n    key\n  }\n}"): (typeof documents)["mutation SettingsCreateApiKey($name: String!) {\n  createApiKey(name: $name) {\n    key\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SettingsDisconnectIntegration($id: ID!) {\n  disconnectIntegration(id: $id) {\n    id\n    status\n  }\n}"): (typeof documents)["mutation SettingsDisconnectIntegration($id: ID!) {\n  disconnectIntegration(id: $id) {\n    id\n    status\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment SettingsIntegrationFields on Integration {\n  id\n  provider\n  status\n  displayName\n  lastError\n  webhookUrl\n  statusWebhookUrl\n  createdAt\n  slackAllowedUserIds\n  smsNumber\n  whatsappNumber\n  fromEmail\n  fromName\n  inboundDomain\n  webhookSigned\n}"): (typeof documents)["fragment SettingsIntegrationFields on Integration {\n  id\n  provider\n  status\n  displayName\n  lastError\n  webhookUrl\n  statusWebhookUrl\n  createdAt\n  slackAllowedUserIds\n  smsNumber\n  whatsappNumber\n  fromEmail\n  fromName\n  inboundDomain\n  webhookSigned\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query SettingsIntegrations {\n  integrations {\n    ...SettingsIntegrationFields\n  }\n}"): (typeof documents)["query SettingsIntegrations {\n  integrations {\n    ...SettingsIntegrationFields\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment SettingsMemberFields on Member {\n  id\n  name\n  email\n  role\n  slackUserId\n  phone\n}"): (typeof documents)["fragment SettingsMemberFields on Member {\n  id\n  name\n  email\n  role\n  slackUserId\n  phone\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query SettingsMembers {\n  members {\n    ...SettingsMemberFields\n  }\n}"): (typeof documents)["query SettingsMembers {\n  members {\n    ...SettingsMemberFields\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SettingsRevokeApiKey($id: ID!) {\n  revokeApiKey(id: $id)\n}"): (typeof documents)["mutation SettingsRevokeApiKey($id: ID!) {\n  revokeApiKey(id: $id)\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SettingsSetMonitoredChannels($integrationId: ID!, $channelIds: [ID!]!) {\n  setMonitoredChannels(integrationId: $integrationId, channelIds: $channelIds) {\n    id\n    name\n    isMember\n    monitored\n  }\n}"): (typeof documents)["mutation SettingsSetMonitoredChannels($integrationId: ID!, $channelIds: [ID!]!) {\n  setMonitoredChannels(integrationId: $integrationId, channelIds: $channelIds) {\n    id\n    name\n    isMember\n    monitored\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SettingsSetSlackAllowedUsers($integrationId: ID!, $userIds: [String!]!) {\n  setSlackAllowedUsers(integrationId: $integrationId, userIds: $userIds) {\n    id\n    slackAllowedUserIds\n  }\n}"): (typeof documents)["mutation SettingsSetSlackAllowedUsers($integrationId: ID!, $userIds: [String!]!) {\n  setSlackAllowedUsers(integrationId: $integrationId, userIds: $userIds) {\n    id\n    slackAllowedUserIds\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query SettingsSlackChannels($integrationId: ID!) {\n  slackChannels(integrationId: $integrationId) {\n    id\n    name\n    isMember\n    monitored\n  }\n}"): (typeof documents)["query SettingsSlackChannels($integrationId: ID!) {\n  slackChannels(integrationId: $integrationId) {\n    id\n    name\n    isMember\n    monitored\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SettingsUpdateMember($id: ID!, $name: String, $role: Role, $slackUserId: String, $phone: String) {\n  updateMember(\n    id: $id\n    name: $name\n    role: $role\n    slackUserId: $slackUserId\n    phone: $phone\n  ) {\n    ...SettingsMemberFields\n  }\n}"): (typeof documents)["mutation SettingsUpdateMember($id: ID!, $name: String, $role: Role, $slackUserId: String, $phone: String) {\n  updateMember(\n    id: $id\n    name: $name\n    role: $role\n    slackUserId: $slackUserId\n    phone: $phone\n  ) {\n    ...SettingsMemberFields\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SignIn($email: String!, $password: String!) {\n  signIn(email: $email, password: $password) {\n    token\n    member {\n      id\n      name\n      email\n      role\n    }\n    workspace {\n      id\n      name\n    }\n  }\n}"): (typeof documents)["mutation SignIn($email: String!, $password: String!) {\n  signIn(email: $email, password: $password) {\n    token\n    member {\n      id\n      name\n      email\n      role\n    }\n    workspace {\n      id\n      name\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SignOut {\n  signOut\n}"): (typeof documents)["mutation SignOut {\n  signOut\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SignUp($workspaceName: String!, $name: String!, $email: String!, $password: String!) {\n  signUp(\n    workspaceName: $workspaceName\n    name: $name\n    email: $email\n    password: $password\n  ) {\n    token\n    member {\n      id\n      name\n      email\n      role\n    }\n    workspace {\n      id\n      name\n    }\n  }\n}"): (typeof documents)["mutation SignUp($workspaceName: String!, $name: String!, $email: String!, $password: String!) {\n  signUp(\n    workspaceName: $workspaceName\n    name: $name\n    email: $email\n    password: $password\n  ) {\n    token\n    member {\n      id\n      name\n      email\n      role\n    }\n    workspace {\n      id\n      name\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation TaskAssign($taskId: ID!, $memberId: ID) {\n  assignTask(taskId: $taskId, memberId: $memberId) {\n    id\n    updatedAt\n    assignee {\n      id\n      name\n    }\n  }\n}"): (typeof documents)["mutation TaskAssign($taskId: ID!, $memberId: ID) {\n  assignTask(taskId: $taskId, memberId: $memberId) {\n    id\n    updatedAt\n    assignee {\n      id\n      name\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query TaskContactTasks($contactId: ID!, $first: Int!) {\n  tasks(contactId: $contactId, first: $first) {\n    edges {\n      cursor\n      node {\n        ...InboxTaskFields\n      }\n    }\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n  }\n}"): (typeof documents)["query TaskContactTasks($contactId: ID!, $first: Int!) {\n  tasks(contactId: $contactId, first: $first) {\n    edges {\n      cursor\n      node {\n        ...InboxTaskFields\n      }\n    }\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription TaskCreated {\n  taskCreated {\n    ...InboxTaskFields\n  }\n}"): (typeof documents)["subscription TaskCreated {\n  taskCreated {\n    ...InboxTaskFields\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query TaskDetail($id: ID!) {\n  task(id: $id) {\n    ...InboxTaskFields\n    suggestedAssignee {\n      id\n      name\n    }\n    triageReason\n    conversation {\n      channel\n      address\n      ourAddress\n      subject\n      replySubject\n      slackChannelId\n      slackChannelName\n      slackThreadTs\n      integration {\n        id\n        provider\n        displayName\n        smsNumber\n        whatsappNumber\n        fromEmail\n      }\n    }\n    messages {\n      ...TaskMessageFields\n    }\n  }\n}"): (typeof documents)["query TaskDetail($id: ID!) {\n  task(id: $id) {\n    ...InboxTaskFields\n    suggestedAssignee {\n      id\n      name\n    }\n    triageReason\n    conversation {\n      channel\n      address\n      ourAddress\n      subject\n      replySubject\n      slackChannelId\n      slackChannelName\n      slackThreadTs\n      integration {\n        id\n        provider\n        displayName\n        smsNumber\n        whatsappNumber\n        fromEmail\n      }\n    }\n    messages {\n      ...TaskMessageFields\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query TaskMembers {\n  members {\n    id\n    name\n    role\n  }\n}"): (typeof documents)["query TaskMembers {\n  members {\n    id\n    name\n    role\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment TaskMessageFields on Message {\n  id\n  direction\n  status\n  body\n  fullBody\n  error\n  errorCode\n  createdAt\n  author {\n    id\n    name\n  }\n  attachments {\n    name\n    contentType\n    size\n    url\n    omitted\n  }\n}"): (typeof documents)["fragment TaskMessageFields on Message {\n  id\n  direction\n  status\n  body\n  fullBody\n  error\n  errorCode\n  createdAt\n  author {\n    id\n    name\n  }\n  attachments {\n    name\n    contentType\n    size\n    url\n    omitted\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription TaskMessageUpdated($taskId: ID!) {\n  messageUpdated(taskId: $taskId) {\n    ...TaskMessageFields\n  }\n}"): (typeof documents)["subscription TaskMessageUpdated($taskId: ID!) {\n  messageUpdated(taskId: $taskId) {\n    ...TaskMessageFields\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation TaskReply($taskId: ID!, $body: String!) {\n  replyToTask(taskId: $taskId, body: $body) {\n    ...TaskMessageFields\n  }\n}"): (typeof documents)["mutation TaskReply($taskId: ID!, $body: String!) {\n  replyToTask(taskId: $taskId, body: $body) {\n    ...TaskMessageFields\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation TaskRetryMessage($messageId: ID!) {\n  retryMessage(messageId: $messageId) {\n    ...TaskMessageFields\n  }\n}"): (typeof documents)["mutation TaskRetryMessage($messageId: ID!) {\n  retryMessage(messageId: $messageId) {\n    ...TaskMessageFields\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation TaskSetStatus($taskId: ID!, $status: TaskStatus!) {\n  setTaskStatus(taskId: $taskId, status: $status) {\n    id\n    status\n  }\n}"): (typeof documents)["mutation TaskSetStatus($taskId: ID!, $status: TaskStatus!) {\n  setTaskStatus(taskId: $taskId, status: $status) {\n    id\n    status\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription TaskUpdated {\n  taskUpdated {\n    ...InboxTaskFields\n    suggestedAssignee {\n      id\n      name\n    }\n    triageReason\n  }\n}"): (typeof documents)["subscription TaskUpdated {\n  taskUpdated {\n    ...InboxTaskFields\n    suggestedAssignee {\n      id\n      name\n    }\n    triageReason\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;