// How Slack's API renders conversations and users. Only the fields a client
// is likely to read are included, with Slack's names and value types.

import type { Channel, User, Workspace } from './state.ts';

/**
 * A conversation object. https://api.slack.com/types/conversation
 *
 * Quirks kept on purpose:
 * - Private channels created since 2021 have C ids and is_channel: true,
 *   is_group: false, is_private: true. Only legacy private channels (G ids)
 *   say is_group: true. Use is_private, not is_group, to tell them apart.
 * - IMs have no name and no is_channel/is_private/is_member fields at all:
 *   just is_im: true and `user` (the other party). Check is_im first.
 */
export function channelView(ws: Workspace, ch: Channel): Record<string, unknown> {
  if (ch.isIm) {
    return {
      id: ch.id,
      created: ch.created,
      is_archived: ch.isArchived,
      is_im: true,
      is_org_shared: false,
      context_team_id: ws.teamId,
      updated: ch.created * 1000,
      user: ch.user,
      is_user_deleted: ch.user ? (ws.users.get(ch.user)?.deleted ?? false) : false,
      priority: 0,
    };
  }
  const legacyGroup = ch.isPrivate && ch.id.startsWith('G');
  return {
    id: ch.id,
    name: ch.name,
    is_channel: !legacyGroup,
    is_group: legacyGroup,
    is_im: false,
    is_mpim: false,
    is_private: ch.isPrivate,
    created: ch.created,
    is_archived: ch.isArchived,
    is_general: false,
    unlinked: 0,
    name_normalized: ch.name,
    is_shared: false,
    is_org_shared: false,
    is_ext_shared: false,
    is_pending_ext_shared: false,
    pending_shared: [],
    context_team_id: ws.teamId,
    updated: ch.created * 1000,
    parent_conversation: null,
    creator: '',
    is_member: ch.isMember,
    topic: { value: '', creator: '', last_set: 0 },
    purpose: { value: '', creator: '', last_set: 0 },
    previous_names: [],
  };
}

/**
 * A user object. https://api.slack.com/types/user
 * profile.email is present only when the token has users:read.email (assumed
 * granted here) and the user has one; bots have none. display_name is "" when
 * the user never set one: fall back to real_name, then name.
 */
export function userView(ws: Workspace, user: User): Record<string, unknown> {
  return {
    id: user.id,
    team_id: ws.teamId,
    name: user.name,
    deleted: user.deleted,
    color: '9f69e7',
    real_name: user.realName,
    tz: 'Europe/London',
    tz_label: 'Greenwich Mean Time',
    tz_offset: 0,
    profile: {
      title: '',
      phone: '',
      skype: '',
      real_name: user.realName,
      real_name_normalized: user.realName,
      display_name: user.displayName,
      display_name_normalized: user.displayName,
      ...(user.email && !user.isBot ? { email: user.email } : {}),
      status_text: '',
      status_emoji: '',
      avatar_hash: 'g0000000000',
      image_48: `https://secure.gravatar.com/avatar/${user.id}.jpg?s=48`,
      ...(user.botId ? { bot_id: user.botId, api_app_id: ws.appId, always_active: true } : {}),
      team: ws.teamId,
    },
    is_admin: false,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: user.isBot,
    is_app_user: false,
    updated: 1700000000,
  };
}
