// Everything that differs per channel on screen, in one place: its label, its
// icon, its tint, and where a reply goes ("Slack · #support · in thread").
// Screens ask this registry instead of branching on the channel themselves.
// Pure data and functions (no Vue), unit-tested in test/unit/web-channels.test.ts;
// components/ChannelIcon.vue draws `icon`.
import type { Channel } from '../graphql/generated/graphql';
import { formatPhone } from '../lib/format';

/** An icon as SVG path data on a 24×24 grid, drawn with a 2px stroke (no fill). */
export interface ChannelIconShape {
  paths: readonly string[];
}

/** The parts of a task that say where a reply goes. Any query's task shape fits. */
export interface ReplyTarget {
  channel: Channel;
  contact?: { email?: string | null; phone?: string | null } | null;
  conversation?: {
    address?: string | null;
    ourAddress?: string | null;
    /** The subject the server will send a reply with (Conversation.replySubject). */
    replySubject?: string | null;
    slackChannelId?: string | null;
    slackChannelName?: string | null;
    slackThreadTs?: string | null;
    integration?: { smsNumber?: string | null; whatsappNumber?: string | null } | null;
  } | null;
}

export interface ChannelSpec {
  channel: Channel;
  /** "Slack", "Email", "SMS", "WhatsApp". */
  label: string;
  icon: ChannelIconShape;
  /** A mid-tone that reads on light and dark backgrounds. */
  color: string;
  /** The longest reply the provider takes, when it has a limit worth showing. */
  maxReplyLength?: number;
  /** One line naming exactly where a reply to this task goes. */
  destination(task: ReplyTarget): string;
  /** Placeholder for the reply box. */
  composePlaceholder: string;
}

function slackPlace(task: ReplyTarget): string {
  const c = task.conversation;
  const name = c?.slackChannelName?.trim();
  const direct = c?.slackChannelId?.startsWith('D') || name?.toLowerCase() === 'direct message';
  if (direct) return 'direct message';
  if (name) return `#${name.replace(/^#/, '')}`;
  return c?.slackChannelId ? `channel ${c.slackChannelId}` : 'channel';
}

/** "to <customer> from <our number>", leaving out what is not known. */
function phoneRoute(label: string, to: string | null | undefined, from: string | null | undefined): string {
  const parts = [label];
  if (to) parts.push(`to ${formatPhone(to)}`);
  if (from) parts.push(`from ${formatPhone(from)}`);
  return parts.join(' ');
}

export const channels: Readonly<Record<Channel, ChannelSpec>> = {
  SLACK: {
    channel: 'SLACK',
    label: 'Slack',
    icon: { paths: ['M4 9h16', 'M4 15h16', 'M10 3 8 21', 'M16 3l-2 18'] },
    color: '#9b5fb5',
    composePlaceholder: 'Reply in the Slack thread…',
    destination: (task) => {
      const parts = ['Slack', slackPlace(task)];
      if (task.conversation?.slackThreadTs) parts.push('in thread');
      return parts.join(' · ');
    },
  },
  EMAIL: {
    channel: 'EMAIL',
    label: 'Email',
    icon: { paths: ['M4 5h16a1 1 0 0 1 1 1v12a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1z', 'm3 7 9 6 9-6'] },
    color: '#3f7fd6',
    composePlaceholder: 'Write an email reply…',
    destination: (task) => {
      const to = task.conversation?.address ?? task.contact?.email;
      return [to ? `Email to ${to}` : 'Email', task.conversation?.replySubject ?? 'Re: your message'].join(' · ');
    },
  },
  SMS: {
    channel: 'SMS',
    label: 'SMS',
    icon: { paths: ['M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z', 'M8 10h.01', 'M12 10h.01', 'M16 10h.01'] },
    color: '#1f9a8a',
    maxReplyLength: 1600,
    composePlaceholder: 'Write a text message…',
    destination: (task) =>
      phoneRoute('SMS', task.conversation?.address ?? task.contact?.phone, task.conversation?.ourAddress ?? task.conversation?.integration?.smsNumber),
  },
  WHATSAPP: {
    channel: 'WHATSAPP',
    label: 'WhatsApp',
    icon: {
      paths: [
        'M7.9 20A9 9 0 1 0 4 16.1L2 22z',
        'M9 9.5c0 3 2.5 5.5 5.5 5.5l1-1.5-2-1-1 .8c-.9-.4-1.5-1-1.9-1.9l.8-1-1-2L9 9.5z',
      ],
    },
    color: '#25a85a',
    maxReplyLength: 1600,
    composePlaceholder: 'Write a WhatsApp message…',
    destination: (task) =>
      phoneRoute('WhatsApp', task.conversation?.address ?? task.contact?.phone, task.conversation?.ourAddress ?? task.conversation?.integration?.whatsappNumber),
  },
};

/** Display order in filters and menus. */
export const channelOrder: readonly Channel[] = ['SLACK', 'EMAIL', 'SMS', 'WHATSAPP'];

export function channelSpec(channel: Channel): ChannelSpec {
  return channels[channel];
}

/** Where a reply to this task goes, e.g. "SMS to +1 415 555 0100 from +1 555 000 1111". */
export function destination(task: ReplyTarget): string {
  return channels[task.channel].destination(task);
}
