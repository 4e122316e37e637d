// Slack message text is "mrkdwn" with angle-bracket entities and HTML escapes
// (https://api.slack.com/reference/surfaces/formatting#retrieving-messages).
// Parley shows plain text: links keep their label and URL, mentions their id.

export function slackTextToPlain(text: string): string {
  return text
    .replace(/<([^<>]+)>/g, (_all, inner: string) => {
      const [target = '', label] = inner.split('|', 2);
      if (target.startsWith('@')) return label ? `@${label}` : target;
      if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
      if (target.startsWith('!')) return `@${label ?? target.slice(1).split('^')[0]}`;
      if (label && label !== target && label !== target.replace(/^mailto:/, '')) return `${label} (${target})`;
      return target.replace(/^mailto:/, '');
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** What we post: Slack only needs &, < and > escaped (https://api.slack.com/reference/surfaces/formatting#escaping). */
export function plainToSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
