// The new text of an email reply, without the history mail clients quote
// below it. Only cuts where the start of the history can be told apart: an
// attribution line ("On … wrote:", in the languages our customers write), an
// Outlook header block or separator, or a trailing block of "> " lines.
// Anything else is kept whole.

const ATTRIBUTION = [
  /^On\b.{4,300}\bwrote:$/i, // Gmail, Apple Mail, Thunderbird
  /^Am\b.{4,300}\bschrieb\b.{0,200}:$/i, // German
  /^Le\b.{4,300}\ba écrit\s*:$/i, // French
  /^El\b.{4,300}\bescribió:$/i, // Spanish
  /^Op\b.{4,300}\bschreef\b.{0,200}:$/i, // Dutch
  /^Il giorno\b.{4,300}\bha scritto:$/i, // Italian
  /^Em\b.{4,300}\bescreveu:$/i, // Portuguese
];

const SEPARATOR = [
  /^-{2,}\s*(Original Message|Forwarded message|Ursprüngliche Nachricht|Message d'origine|Mensaje original|Oorspronkelijk bericht)\s*-{2,}$/i,
  /^_{10,}$/, // Outlook's rule above its header block
];

/** Outlook's header block: From:/Von:/De: followed within a few lines by Sent:/Date:/Gesendet:/Envoyé:/Enviado:. */
const OUTLOOK_FROM = /^\*?(From|Von|De|Van|Da)\s?:\*?\s/i;
const OUTLOOK_SENT = /^\*?(Sent|Date|Gesendet|Datum|Envoyé|Enviado|Verzonden|Inviato)\s?:\*?\s/i;

function startsHistory(lines: string[], i: number): boolean {
  const line = lines[i]!.trim();
  if (ATTRIBUTION.some((re) => re.test(line))) return true;
  // Attributions are often wrapped onto two lines by the client. Not when the next line is a whole
  // attribution by itself: this line is then the end of the new text ("On it, thanks!" right above it).
  const next = lines[i + 1]?.trim() ?? '';
  const joined = `${line} ${next}`.trim();
  if (line && !line.startsWith('>') && !ATTRIBUTION.some((re) => re.test(next)) && ATTRIBUTION.some((re) => re.test(joined))) return true;
  if (SEPARATOR.some((re) => re.test(line))) return true;
  if (OUTLOOK_FROM.test(line)) return lines.slice(i + 1, i + 5).some((l) => OUTLOOK_SENT.test(l.trim()));
  return false;
}

export interface ReplyText {
  /** The new text (the whole text when nothing could be cut). */
  text: string;
  /** True when a quoted history was cut off. */
  trimmed: boolean;
}

export function newReplyText(full: string): ReplyText {
  const normalised = full.replace(/\r\n?/g, '\n');
  const lines = normalised.split('\n');
  let cut = -1;
  for (let i = 0; i < lines.length; i++) {
    if (startsHistory(lines, i)) {
      cut = i;
      break;
    }
  }
  if (cut === -1) {
    // No marker: a block of "> " lines running to the end is still the quoted history.
    let i = lines.length - 1;
    while (i >= 0 && lines[i]!.trim() === '') i--;
    let firstQuoted = -1;
    while (i >= 0 && (lines[i]!.startsWith('>') || lines[i]!.trim() === '')) {
      if (lines[i]!.startsWith('>')) firstQuoted = i;
      i--;
    }
    cut = firstQuoted;
  }
  if (cut <= 0) return { text: normalised.trim(), trimmed: false };
  const text = lines.slice(0, cut).join('\n').trim();
  // Everything was history (e.g. a bare forward): show it all rather than nothing.
  return text ? { text, trimmed: true } : { text: normalised.trim(), trimmed: false };
}
