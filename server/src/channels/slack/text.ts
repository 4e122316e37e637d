// Slack message text is "mrkdwn" with angle-bracket entities and HTML escapes
// (https://api.slack.com/reference/surfaces/formatting#retrieving-messages).
// Parley shows plain text: links keep their label and URL, mentions their id.

export function slackTextToPlain(text: string): string {
  return text
    .replace(/<([^<>]+)>/g, (_all, inner: string) => {
      // Only the first "|" separates target and label: a label may contain more.
      const bar = inner.indexOf('|');
      const target = bar < 0 ? inner : inner.slice(0, bar);
      const label = bar < 0 ? undefined : inner.slice(bar + 1);
      if (target.startsWith('@')) return label ? `@${label.replace(/^@/, '')}` : target;
      if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
      // <!date^…|fallback text>: the fallback is what a reader without Slack should see.
      if (target.startsWith('!date^')) return label ?? target;
      // <!here>, <!channel>, <!subteam^S123|@oncall>: one "@", whatever the label carries.
      if (target.startsWith('!')) return `@${(label ?? target.slice(1).split('^')[0] ?? '').replace(/^@/, '')}`;
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
