// Table tests for the email parsing the SendGrid channel does itself: the new
// text of a reply without its quoted history (quotes.ts), RFC 5322 / 2047
// helpers (mime.ts) and reply subjects (adapter.ts replySubject).
import { describe, expect, it } from 'vitest';
import { replySubject } from '../../server/src/channels/sendgrid/adapter.ts';
import { decodeWords, htmlToText, messageIds, parseAddresses, parseHeaderBlock } from '../../server/src/channels/sendgrid/mime.ts';
import { newReplyText } from '../../server/src/channels/sendgrid/quotes.ts';

const b64 = (charset: string, text: string, encoding: BufferEncoding = 'utf8') => `=?${charset}?B?${Buffer.from(text, encoding).toString('base64')}?=`;
const lines = (...l: string[]) => l.join('\n');

describe('newReplyText: cuts the quoted history', () => {
  // [layout, full text, the new text]
  const cases: [string, string, string][] = [
    [
      'Gmail (EN), attribution on one line',
      lines('Thanks, that fixed it.', '', 'On Mon, Jun 3, 2024 at 10:00 AM Acme Support <support@acme.test> wrote:', '', '> Hi Eve,', '> please try again.', '>'),
      'Thanks, that fixed it.',
    ],
    [
      'Gmail (EN), attribution wrapped after "<"',
      lines('Thanks, that fixed it.', '', 'On Mon, Jun 3, 2024 at 10:00 AM Acme Support <', 'support@acme.test> wrote:', '', '> Hi Eve,'),
      'Thanks, that fixed it.',
    ],
    [
      'Gmail (EN), attribution wrapped before "wrote:"',
      lines('Works now.', 'Eve', '', 'On Mon, 3 Jun 2024 at 10:00, Acme Support <support@acme.test>', 'wrote:', '> Hi Eve'),
      lines('Works now.', 'Eve'),
    ],
    [
      'Gmail (EN), quoted history without ">" markers',
      lines('See you then.', '', 'On Tue, 4 Jun 2024 at 09:12, Acme Support <support@acme.test> wrote:', 'Hi Eve,', 'we can call you on Friday.'),
      'See you then.',
    ],
    [
      'Apple Mail (EN), attribution itself quoted',
      lines('Perfect, thank you!', '', 'Sent from my iPhone', '', '> On 3 Jun 2024, at 10:00, Acme Support <support@acme.test> wrote:', '> ', '> Hi Eve,', '> it is fixed.'),
      lines('Perfect, thank you!', '', 'Sent from my iPhone'),
    ],
    [
      'Thunderbird (EN), date first',
      lines('Still broken on my side.', '', 'On 03/06/2024 10:00, Acme Support wrote:', '> Could you try again?'),
      'Still broken on my side.',
    ],
    [
      'Outlook (EN), rule and header block',
      lines('Thanks!', '', 'Eve', '', '________________________________', 'From: Acme Support <support@acme.test>', 'Sent: Monday, June 3, 2024 10:00 AM', 'To: Eve Example <eve@example.com>', 'Subject: RE: Invoice', '', 'Hi Eve,'),
      lines('Thanks!', '', 'Eve'),
    ],
    [
      'Outlook (EN), header block without the rule',
      lines('Please cancel the order.', '', 'From: Acme Support <support@acme.test>', 'Sent: Monday, June 3, 2024 10:00 AM', 'To: Eve Example', 'Subject: RE: Order', '', 'Hi Eve'),
      'Please cancel the order.',
    ],
    [
      'Outlook (EN), bold header block (plain text of an HTML reply)',
      lines('Got it.', '', '*From:* Acme Support <support@acme.test>', '*Sent:* Monday, June 3, 2024 10:00 AM', '*To:* Eve Example', '*Subject:* RE: Order'),
      'Got it.',
    ],
    [
      'Outlook for Mac (EN), From/Date/To block',
      lines('Yes please.', '', 'From: Acme Support <support@acme.test>', 'Date: Monday, 3 June 2024 at 10:00', 'To: Eve Example <eve@example.com>', 'Subject: Re: Upgrade'),
      'Yes please.',
    ],
    [
      'Outlook (EN), -----Original Message-----',
      lines('See below.', '', '-----Original Message-----', 'From: Acme Support', 'Sent: today', '', 'hello'),
      'See below.',
    ],
    [
      'Gmail (DE), attribution wrapped',
      lines('Danke, passt.', '', 'Am Mo., 3. Juni 2024 um 10:00 Uhr schrieb Acme Support <', 'support@acme.test>:', '', '> Hallo Eve'),
      'Danke, passt.',
    ],
    [
      'Gmail (DE), attribution wrapped before the address',
      lines('I get proper rendering as well.', '', 'Am Mi., 5. Feb. 2020 um 17:58 Uhr schrieb Company Questions', '<questions@company.com>:', '', '> Was this caching related?'),
      'I get proper rendering as well.',
    ],
    [
      'Thunderbird (DE)',
      lines('Vielen Dank!', '', 'Am 03.06.2024 um 10:00 schrieb Acme Support:', '> Hallo Eve,'),
      'Vielen Dank!',
    ],
    [
      'Outlook (DE), Von/Gesendet block',
      lines('Danke!', '', 'Von: Acme Support <support@acme.test>', 'Gesendet: Montag, 3. Juni 2024 10:00', 'An: Eve', 'Betreff: AW: Rechnung', '', 'Hallo Eve'),
      'Danke!',
    ],
    [
      'Outlook (DE), -----Ursprüngliche Nachricht----- with Datum further down',
      lines('Erledigt.', '', '-----Ursprüngliche Nachricht-----', 'Von: Max Mustermann <max.m@beispiel.de>', 'An: Erika Musterfrau <e.m@beispiel.de>', 'Betreff: Ihre Anfrage', 'Datum: 25.11.2025 15:00', '', 'Text'),
      'Erledigt.',
    ],
    [
      'Gmail (FR), narrow no-break space before the colon',
      lines('Merci beaucoup.', '', 'Le lun. 3 juin 2024 à 10:00, Acme Support <support@acme.test> a écrit\u202f:', '', '> Bonjour Eve'),
      'Merci beaucoup.',
    ],
    [
      'Gmail (FR), attribution wrapped before "a écrit :"',
      lines('Parfait.', '', 'Le lun. 15 nov. 2021 à 19:42, John - Acme <john@acme.test>', 'a écrit :', '', 'Bonjour,', 'voici la facture.'),
      'Parfait.',
    ],
    [
      'Apple Mail (FR), no-break space, attribution quoted',
      lines('Bien reçu.', '', '> Le 29 avr. 2025 à 11:11, Chris - Acme <chris@acme.test> a écrit\u00a0:', '> A', '> B'),
      'Bien reçu.',
    ],
    [
      'Outlook (FR), De/Envoyé block with spaces before colons',
      lines('Merci.', '', 'De : Acme Support <support@acme.test>', 'Envoyé : lundi 3 juin 2024 10:00', 'À : Eve', 'Objet : RE: Facture'),
      'Merci.',
    ],
    [
      'Outlook (FR), -----Message d\'origine-----',
      lines('Voir ci-dessous.', '', '-----Message d\'origine-----', 'De : Acme', 'Envoyé : lundi'),
      'Voir ci-dessous.',
    ],
    [
      'Gmail (ES)',
      lines('Gracias.', '', 'El lun, 3 jun 2024 a las 10:00, Acme Support (<support@acme.test>) escribió:', '', '> Hola Eve'),
      'Gracias.',
    ],
    [
      'Gmail (ES), attribution wrapped',
      lines('Perfecto, gracias.', '', 'El lun, 3 jun 2024 a las 10:00, Acme Support (<', 'support@acme.test>) escribió:', '> Hola'),
      'Perfecto, gracias.',
    ],
    [
      'Outlook (ES), De/Enviado block',
      lines('Listo.', '', 'De: Acme Support <support@acme.test>', 'Enviado: lunes, 3 de junio de 2024 10:00', 'Para: Eve', 'Asunto: RE: Pedido'),
      'Listo.',
    ],
    [
      'Outlook (ES), -----Mensaje original-----',
      lines('Ver abajo.', '', '-----Mensaje original-----', 'De: Acme'),
      'Ver abajo.',
    ],
    [
      'Trailing block of "> " lines without an attribution',
      lines('Yes, Friday works.', '', '> Would Friday work for you?', '> Acme Support', '>', ''),
      'Yes, Friday works.',
    ],
    [
      'Windows line endings',
      'Yes.\r\n\r\nOn Mon, 3 Jun 2024 at 10:00, Acme Support <support@acme.test> wrote:\r\n> Hi\r\n',
      'Yes.',
    ],
    [
      'A reply line starting with "On" right above the attribution (no blank line) is kept',
      lines('On it, thanks!', 'On Mon, 3 Jun 2024 at 10:00, Acme Support <support@acme.test> wrote:', '> Could you check?'),
      'On it, thanks!',
    ],
    [
      'A German reply line starting with "Am" right above the attribution is kept',
      lines('Danke.', 'Am Montag bin ich wieder im Büro.', 'Am 03.06.2024 um 10:00 schrieb Acme Support <support@acme.test>:', '> Hallo'),
      lines('Danke.', 'Am Montag bin ich wieder im Büro.'),
    ],
    [
      'A French reply line starting with "Le" right above the attribution is kept',
      lines('Le colis est arrivé, merci.', 'Le lun. 3 juin 2024 à 10:00, Acme Support <support@acme.test> a écrit :', '> Bonjour'),
      'Le colis est arrivé, merci.',
    ],
  ];

  it.each(cases)('%s', (_layout, full, expected) => {
    expect(newReplyText(full)).toEqual({ text: expected, trimmed: true });
  });
});

describe('newReplyText: keeps messages that have no quoted history whole', () => {
  const cases: [string, string][] = [
    ['a line starting "On Monday we..." without "wrote:"', lines('On Monday we tried again and it failed.', 'Can you call me?', '', 'Eve')],
    ['several sentences starting with "On"', lines('On the surface, this looks like a quote header but it is not.', '', 'On the other hand, we should be careful.', 'On average, this works well.')],
    ['"wrote:" in the middle of a sentence', lines('On Monday my colleague wrote: the export fails.', 'Please check.')],
    ['German sentences starting with "Am"', lines('Am Montag hat es noch funktioniert.', 'Am Dienstag nicht mehr.')],
    ['French sentences starting with "Le"', lines('Le colis est arrivé hier.', 'Le carton était abîmé.')],
    ['Spanish sentences starting with "El"', lines('El pedido llegó ayer.', 'El paquete estaba roto.')],
    ['a "From:" line in the text without a Sent:/Date: block', lines('From: the billing team, apparently.', 'I never got the invoice.')],
    ['inline answers between quoted lines', lines('> Can you send the invoice?', 'Yes, attached.', '> And the receipt?', 'Will do tomorrow.')],
    ['a quote followed by more new text', lines('Hi,', '', '> the export is fixed', '', 'It is not, see the screenshot.')],
    ['a plain message', 'Hello, my invoice is wrong.'],
  ];

  it.each(cases)('%s', (_what, full) => {
    expect(newReplyText(full)).toEqual({ text: full.trim(), trimmed: false });
  });

  it('shows everything when the whole email is quoted history (nothing new above it)', () => {
    const allQuoted = [
      lines('On Mon, 3 Jun 2024 at 10:00, Acme Support <support@acme.test> wrote:', '> Hi Eve', '> bye'),
      lines('> just the quote', '> nothing else', ''),
      lines('---------- Forwarded message ---------', 'From: Ashley <a@example.com>', '', 'the forwarded body'),
      lines('', '', '-----Original Message-----', 'From: Acme', 'Sent: today'),
    ];
    for (const full of allQuoted) expect(newReplyText(full)).toEqual({ text: full.trim(), trimmed: false });
  });

  it('trims surrounding whitespace only', () => {
    expect(newReplyText('\n\n  Hello  \n\n')).toEqual({ text: 'Hello', trimmed: false });
    expect(newReplyText('')).toEqual({ text: '', trimmed: false });
  });
});

describe('parseAddresses', () => {
  it.each<[string, string, { name: string | null; address: string }[]]>([
    ['a bare address', 'eve@example.com', [{ name: null, address: 'eve@example.com' }]],
    ['name and address, address lower-cased', 'Eve Example <Eve@Example.COM>', [{ name: 'Eve Example', address: 'eve@example.com' }]],
    ['a quoted name with a comma', '"Doe, Jane" <jane.doe@example.org>', [{ name: 'Doe, Jane', address: 'jane.doe@example.org' }]],
    [
      'a list with quoted commas',
      '"Doe, Jane" <jane@example.org>, bob@example.org, "Smith, J." <js@example.org>',
      [{ name: 'Doe, Jane', address: 'jane@example.org' }, { name: null, address: 'bob@example.org' }, { name: 'Smith, J.', address: 'js@example.org' }],
    ],
    [
      'a group, flattened',
      'Team: a@example.org, "B, C" <b@example.org>;, d@example.org',
      [{ name: null, address: 'a@example.org' }, { name: 'B, C', address: 'b@example.org' }, { name: null, address: 'd@example.org' }],
    ],
    ['an empty group', 'undisclosed-recipients:;', []],
    ['a B-encoded name', `${b64('UTF-8', 'Zoë Müller')} <zoe@example.de>`, [{ name: 'Zoë Müller', address: 'zoe@example.de' }]],
    ['a Q-encoded name', '=?utf-8?Q?Ren=C3=A9e_Dupont?= <renee@example.fr>', [{ name: 'Renée Dupont', address: 'renee@example.fr' }]],
    ['an encoded name inside quotes', `"${b64('UTF-8', 'Łukasz')}" <l@example.pl>`, [{ name: 'Łukasz', address: 'l@example.pl' }]],
    [
      'a B-encoded "Last, First" name (the comma must not split the list)',
      `${b64('UTF-8', 'Müller, Jürgen')} <juergen@example.de>`,
      [{ name: 'Müller, Jürgen', address: 'juergen@example.de' }],
    ],
    [
      'a Q-encoded ISO-8859-1 "Last, First" name among others (Outlook)',
      '=?iso-8859-1?Q?M=FCller=2C_J=FCrgen?= <juergen@example.de>, Eve <eve@example.com>',
      [{ name: 'Müller, Jürgen', address: 'juergen@example.de' }, { name: 'Eve', address: 'eve@example.com' }],
    ],
    ['an unquoted dot in the name (lenient)', 'John Q. Public <jqp@example.com>', [{ name: 'John Q. Public', address: 'jqp@example.com' }]],
    ['nothing', '   ', []],
  ])('%s', (_what, input, expected) => {
    expect(parseAddresses(input)).toEqual(expected);
  });

  it('takes undefined', () => {
    expect(parseAddresses(undefined)).toEqual([]);
  });
});

describe('messageIds', () => {
  it('finds the <…> ids in order, without duplicates', () => {
    expect(messageIds('<a@x.org>')).toEqual(['<a@x.org>']);
    expect(messageIds('<a@x.org> <b@y.org>\t<c@z.org>')).toEqual(['<a@x.org>', '<b@y.org>', '<c@z.org>']);
    expect(messageIds('<a@x.org><b@y.org> <a@x.org>')).toEqual(['<a@x.org>', '<b@y.org>']);
    expect(messageIds('<CAGsruKux7HKgwztSSWCae8cMu71_pzgziWZRWYeYNo3aiCkjRw@mail.gmail.com> (Eve\'s message of Monday)')).toEqual(['<CAGsruKux7HKgwztSSWCae8cMu71_pzgziWZRWYeYNo3aiCkjRw@mail.gmail.com>']);
  });

  it('finds nothing in empty or bracket-less values', () => {
    expect(messageIds(undefined)).toEqual([]);
    expect(messageIds('')).toEqual([]);
    expect(messageIds('no-brackets@x.org')).toEqual([]);
    expect(messageIds('<has space@x.org>')).toEqual([]);
  });
});

describe('parseHeaderBlock', () => {
  it('unfolds folded lines, lower-cases names and keeps repeated headers in order', () => {
    const block = [
      'Received: by mx.sendgrid.net with SMTP id 1',
      'Received: from mail.example.com',
      '\tby mx.sendgrid.net; Tue, 9 Oct 2018 03:16:04 +0000',
      'Message-ID: <m3@example.com>',
      'References: <m1@example.com>',
      ' <m2@example.com>',
      'Subject: a long',
      '  subject',
      'X-Empty:',
      'not a header line',
      '',
    ].join('\r\n');
    const headers = parseHeaderBlock(block);
    expect(headers.get('received')).toEqual(['by mx.sendgrid.net with SMTP id 1', 'from mail.example.com by mx.sendgrid.net; Tue, 9 Oct 2018 03:16:04 +0000']);
    expect(headers.get('message-id')).toEqual(['<m3@example.com>']);
    expect(headers.get('references')).toEqual(['<m1@example.com> <m2@example.com>']);
    expect(messageIds(headers.get('references')![0])).toEqual(['<m1@example.com>', '<m2@example.com>']);
    expect(headers.get('subject')).toEqual(['a long subject']);
    expect(headers.get('x-empty')).toEqual(['']);
    expect(headers.has('not a header line')).toBe(false);
  });

  it('takes LF line endings (SendGrid\'s published example) and values containing colons', () => {
    const headers = parseHeaderBlock('Date: Tue, 9 Oct 2018 03:15:50 +0000\nIn-Reply-To: <a@b>\nSubject: Re: Fwd: x\n');
    expect(headers.get('date')).toEqual(['Tue, 9 Oct 2018 03:15:50 +0000']);
    expect(headers.get('in-reply-to')).toEqual(['<a@b>']);
    expect(headers.get('subject')).toEqual(['Re: Fwd: x']);
  });
});

describe('decodeWords', () => {
  it.each([
    ['B, UTF-8', b64('UTF-8', 'Grüße aus Köln'), 'Grüße aus Köln'],
    ['B, ISO-8859-1', b64('ISO-8859-1', 'Grüße', 'latin1'), 'Grüße'],
    ['Q with underscores for spaces', '=?utf-8?q?Caf=C3=A9_au_lait?=', 'Café au lait'],
    ['Q with lower-case hex', '=?UTF-8?Q?R=c3=bcckfrage?=', 'Rückfrage'],
    ['Q, ISO-8859-1', '=?ISO-8859-1?Q?Re=3A_Pr=E9sentation?=', 'Re: Présentation'],
    ['mixed with plain text', 'Re: =?UTF-8?B?w5xiZXJ3ZWlzdW5n?= failed', 'Re: Überweisung failed'],
    ['whitespace between adjacent encoded words is dropped', '=?UTF-8?B?w6k=?= =?UTF-8?Q?t=C3=A9?=', 'été'],
    ['a language tag (RFC 2231) in the charset', '=?UTF-8*de?Q?Stra=C3=9Fe?=', 'Straße'],
    ['plain text untouched', 'Invoice 2024-06 = due?', 'Invoice 2024-06 = due?'],
    ['an unknown charset left as it is', '=?x-no-such-charset?B?SGVsbG8=?=', '=?x-no-such-charset?B?SGVsbG8=?='],
  ])('%s', (_what, input, expected) => {
    expect(decodeWords(input)).toBe(expected);
  });
});

describe('htmlToText', () => {
  it('keeps the text and line structure of an HTML-only email', () => {
    const html = '<html><head><style>p{color:red}</style><title>x</title></head><body><p>Hello&nbsp;there,</p><div>Tom &amp; Jerry &lt;3 &quot;quoted&quot; &#39;single&#39; &#8364;5</div>Line<br/>break<script>alert(1)</script></body></html>';
    expect(htmlToText(html)).toBe('Hello there,\nTom & Jerry <3 "quoted" \'single\' €5\nLine\nbreak');
  });

  it('decodes &amp; last, so escaped entities stay escaped once', () => {
    expect(htmlToText('<p>&amp;lt;b&amp;gt;</p>')).toBe('&lt;b&gt;');
  });
});

describe('replySubject', () => {
  it.each([
    ['Invoice', 'Re: Invoice'],
    ['Re: Invoice', 'Re: Invoice'],
    ['RE: Invoice', 'Re: Invoice'],
    ['Re: Re: Invoice', 'Re: Invoice'],
    ['Re:Re:Invoice', 'Re: Invoice'],
    ['AW: Re: x', 'Re: x'],
    ['AW: AW: Lieferung', 'Re: Lieferung'],
    ['SV: Re: Faktura', 'Re: Faktura'],
    ['Antw: Bestelling', 'Re: Bestelling'],
    ['Re[2]: Invoice', 'Re: Invoice'],
    ['Re : Facture', 'Re: Facture'],
    ['  Re:   padded  ', 'Re: padded'],
    ['Fwd: testing webhook parse', 'Re: Fwd: testing webhook parse'],
    ['Regarding the invoice', 'Re: Regarding the invoice'],
    ['Area 51 tour', 'Re: Area 51 tour'],
  ])('%s → %s', (subject, expected) => {
    expect(replySubject(subject)).toBe(expected);
  });

  it('names an email without a subject', () => {
    expect(replySubject('')).toBe('Re: your message');
    expect(replySubject(null)).toBe('Re: your message');
    expect(replySubject(undefined)).toBe('Re: your message');
    expect(replySubject('Re:')).toBe('Re: your message');
  });
});
