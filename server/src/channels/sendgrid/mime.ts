// The parts of RFC 5322 / 2047 that Inbound Parse leaves to us: the raw
// header block, Message-ID lists, encoded words and address lists.
import addrs from 'email-addresses';

/** Header name (lower-case) → values, in order. Folded lines are unfolded. */
export function parseHeaderBlock(block: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers.set(name, [...(headers.get(name) ?? []), value]);
  }
  return headers;
}

/** The <…> ids in a Message-ID, In-Reply-To or References value, in order, without duplicates. */
export function messageIds(value: string | undefined): string[] {
  if (!value) return [];
  const ids = value.match(/<[^<>\s]+>/g) ?? [];
  return [...new Set(ids)];
}

/** RFC 2047 encoded words (=?charset?B|Q?…?=), which some senders leave in names and subjects. */
export function decodeWords(text: string): string {
  return text
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([bqBQ])\?([^?]*)\?=/g, (whole, charset: string, encoding: string, data: string) => {
      try {
        const bytes =
          encoding.toUpperCase() === 'B'
            ? Buffer.from(data, 'base64')
            : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))), 'latin1');
        return new TextDecoder(charset.split('*')[0]).decode(bytes);
      } catch {
        return whole;
      }
    });
}

export interface Mailbox {
  name: string | null;
  /** Lower-cased. */
  address: string;
}

/**
 * The mailboxes of an address list ("Eve <eve@example.com>, bob@example.org"); groups are flattened.
 * Encoded words are decoded in the names only after the list is parsed: a decoded name may hold a
 * comma, quote or bracket ("Müller, Jürgen", as Outlook sends =?iso-8859-1?Q?M=FCller=2C_J=FCrgen?=).
 */
export function parseAddresses(value: string | undefined): Mailbox[] {
  if (!value?.trim()) return [];
  const out: Mailbox[] = [];
  const add = (name: string | null | undefined, address: string) => out.push({ name: (name ? decodeWords(name).trim() : '') || null, address: address.toLowerCase() });
  const parsed = addrs.parseAddressList({ input: value, rfc6532: true, partial: true }) ?? [];
  for (const entry of parsed) {
    const boxes = entry.type === 'group' ? entry.addresses : [entry];
    for (const box of boxes) {
      if (box.address) add(box.name, box.address);
    }
  }
  if (out.length === 0) {
    // Lenient fallback for what strict parsing refuses (e.g. unquoted dots in names): the <…> parts.
    for (const m of value.matchAll(/(?:"?([^"<,]*)"?\s*)?<([^<>\s@]+@[^<>\s]+)>/g)) add(m[1], m[2]!);
    if (out.length === 0) for (const m of value.matchAll(/[^\s<>,;"]+@[^\s<>,;"]+/g)) add(null, m[0]);
  }
  return out;
}

/** Plain text from HTML, for emails that come without a text part. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h[1-6]|blockquote)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
