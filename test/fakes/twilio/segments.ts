// How many SMS segments a body takes, which Twilio reports as num_segments
// (and bills by). GSM-7 text fits 160 characters in one segment, 153 per
// segment once split; anything outside GSM-7 forces UCS-2, 70 and 67 UTF-16
// units. Characters of the GSM-7 extension table take two septets.
// https://www.twilio.com/docs/glossary/what-sms-character-limit

const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '\f^{}\\[~]|€';

export function countSegments(body: string): number {
  let septets = 0;
  for (const ch of body) {
    if (GSM7_BASIC.includes(ch)) septets += 1;
    else if (GSM7_EXTENSION.includes(ch)) septets += 2;
    else return split(body.length, 70, 67);
  }
  return split(septets, 160, 153);
}

function split(units: number, single: number, perPart: number): number {
  return units <= single ? 1 : Math.ceil(units / perPart);
}
