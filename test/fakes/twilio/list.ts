// GET /2010-04-01/Accounts/{Sid}/Messages.json: the account's messages, most
// recent first, filtered and paged the way the 2010 API pages its lists, so
// that twilio-node's messages.list() / each() / page() work against the fake
// (the SDK follows next_page_uri, made absolute with client.api.baseUrl, and
// takes the records from the one key that is not paging metadata: "messages").
// https://www.twilio.com/docs/messaging/api/message-resource#read-multiple-message-resources
// https://www.twilio.com/docs/usage/twilios-response#response-formats-list-resources
//
// Filters: To and From (exact addresses, channel prefix included), DateSent,
// DateSent< and DateSent> (the SDK's dateSent / dateSentBefore / dateSentAfter;
// "DateSent<=" and "DateSent>=" in a raw query are the same parameters).
// Twilio compares only the GMT date of these (a time of day is ignored, so
// DateSent>2024-05-01T15:00:00Z means "sent on 1 May or later"), and the
// bounds are inclusive. A message that has not been sent yet (queued, still
// without a date_sent) matches no DateSent filter: it was not sent on any date.
import type { ApiError } from './errors.ts';
import * as errors from './errors.ts';
import { single, type FormParams } from './messages.ts';
import { accountPath, messageResource } from './resources.ts';
import type { Account, StoredMessage } from './state.ts';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

const FILTERS = ['To', 'From', 'DateSent', 'DateSent<', 'DateSent>'] as const;

const invalid = (message: string): ApiError => errors.apiError(400, 20001, message);

/** The GMT day ("YYYY-MM-DD") a filter value names, or undefined when it is not a date. */
function dayOf(value: string): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? undefined : value;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : new Date(at).toISOString().slice(0, 10);
}

const dayOfDate = (date: Date): string => date.toISOString().slice(0, 10);

function positiveInteger(raw: string | undefined, fallback: number): number | undefined {
  if (raw === undefined || raw === '') return fallback;
  return /^\d+$/.test(raw) ? Number(raw) : undefined;
}

/** The page of the account's messages these query parameters ask for, as Twilio's JSON. */
export function listMessages(all: Iterable<StoredMessage>, account: Account, params: FormParams): { status: number; body: unknown } | ApiError {
  const to = single(params, 'To');
  const from = single(params, 'From');
  const dateFilters: { op: '=' | '<=' | '>='; day: string }[] = [];
  for (const [name, op] of [['DateSent', '='], ['DateSent<', '<='], ['DateSent>', '>=']] as const) {
    const raw = single(params, name);
    if (raw === undefined) continue;
    const day = dayOf(raw);
    if (!day) return invalid(`Invalid date value: ${name}=${raw}`);
    dateFilters.push({ op, day });
  }

  const requestedSize = positiveInteger(single(params, 'PageSize'), DEFAULT_PAGE_SIZE);
  if (requestedSize === undefined || requestedSize < 1) return invalid(`Invalid PageSize: ${single(params, 'PageSize')}`);
  const pageSize = Math.min(requestedSize, MAX_PAGE_SIZE);
  const page = positiveInteger(single(params, 'Page'), 0);
  if (page === undefined) return invalid(`Invalid Page: ${single(params, 'Page')}`);

  // Most recent first (newest date_created; among equal ones, the later accepted).
  const matching = [...all]
    .map((m, order) => ({ m, order }))
    .filter(({ m }) => {
      const { sent } = m;
      if (sent.accountSid !== account.sid) return false;
      if (to !== undefined && sent.to !== to) return false;
      if (from !== undefined && sent.from !== from) return false;
      if (dateFilters.length === 0) return true;
      if (!m.dateSent) return false;
      const day = dayOfDate(m.dateSent);
      return dateFilters.every((f) => (f.op === '=' ? day === f.day : f.op === '<=' ? day <= f.day : day >= f.day));
    })
    .sort((a, b) => b.m.sent.createdAt.getTime() - a.m.sent.createdAt.getTime() || b.order - a.order)
    .map(({ m }) => m);

  // PageToken (from next_page_uri / previous_page_uri) pins the page to a message, so that
  // messages accepted meanwhile do not shift it; without one, Page counts from the start.
  let start = page * pageSize;
  const token = single(params, 'PageToken');
  if (token !== undefined) {
    const anchor = matching.findIndex((m) => m.sent.sid === token.slice(2));
    if (anchor < 0 || !/^P[AB]/.test(token)) return invalid(`Invalid PageToken: ${token}`);
    start = token.startsWith('PA') ? anchor + 1 : Math.max(0, anchor - pageSize);
  }
  const records = matching.slice(start, start + pageSize);

  const base = `${accountPath(account.sid)}/Messages.json`;
  const uri = (extra: [string, string][]): string => {
    const query = new URLSearchParams();
    for (const name of FILTERS) {
      const value = single(params, name);
      if (value !== undefined) query.append(name, value);
    }
    query.append('PageSize', String(pageSize));
    for (const [name, value] of extra) query.append(name, value);
    return `${base}?${query.toString()}`;
  };
  const more = start + records.length < matching.length;
  const first = records[0];
  const last = records.at(-1);
  return {
    status: 200,
    body: {
      end: Math.max(start, start + records.length - 1),
      first_page_uri: uri([['Page', '0']]),
      messages: records.map(messageResource),
      next_page_uri: more && last ? uri([['Page', String(page + 1)], ['PageToken', `PA${last.sent.sid}`]]) : null,
      page,
      page_size: pageSize,
      previous_page_uri: start > 0 && first ? uri([['Page', String(Math.max(0, page - 1))], ['PageToken', `PB${first.sent.sid}`]]) : null,
      start,
      uri: uri([['Page', String(page)], ...(token !== undefined ? [['PageToken', token] as [string, string]] : [])]),
    },
  };
}
