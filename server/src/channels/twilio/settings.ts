// What a Twilio integration keeps in Integration.config (nothing secret: the
// auth token is a credential).
import { z } from 'zod';

const schema = z.object({
  accountSid: z.string(),
  smsNumber: z.string().nullable().default(null),
  whatsappNumber: z.string().nullable().default(null),
  connectedAt: z.string().optional(),
});

export type TwilioSettings = z.infer<typeof schema>;

export function twilioSettings(config: unknown): TwilioSettings {
  return schema.parse(config);
}
