// What a SendGrid integration keeps in Integration.config (the API key and the
// webhook path secret are credentials).
import { z } from 'zod';

const schema = z.object({
  fromEmail: z.string(),
  fromName: z.string().nullable().default(null),
  inboundDomain: z.string(),
  /** SendGrid's signed-webhook verification key (base64 DER, public): when set, signatures are required. */
  webhookPublicKey: z.string().nullable().default(null),
  connectedAt: z.string().optional(),
});

export type SendGridSettings = z.infer<typeof schema>;

export function sendgridSettings(config: unknown): SendGridSettings {
  return schema.parse(config);
}
