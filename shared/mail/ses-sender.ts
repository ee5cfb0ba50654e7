/**
 * Sends e-mail through SES v2. Messages are composed as MIME by nodemailer's composer (HTML,
 * text twin and attachments) and sent raw. The SDK retries throttling and 5xx errors itself.
 */
import type * as Ses from '@aws-sdk/client-sesv2';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { clientConfig, resourceNames } from '../aws/client-config.js';
import { requireSdk } from '../aws/sdk.js';

const { SESv2Client, SendEmailCommand } = requireSdk<typeof Ses>('@aws-sdk/client-sesv2');

const ses = new SESv2Client(clientConfig());

/**
 * The client every e-mail goes through. The application never needs it; tests and tools use it
 * to observe sends or inject faults (`mailClient().middlewareStack.add`).
 */
export function mailClient(): Ses.SESv2Client {
  return ses;
}

export interface OutgoingMail {
  to: string[];
  subject: string;
  html: string;
  text: string;
  /** Where replies go, when not to the sender (a customer's reply to its partner). */
  replyTo?: string[] | undefined;
  attachments?: { filename: string; content: string | Buffer; contentType: string }[];
}

export async function sendMail(mail: OutgoingMail): Promise<string | undefined> {
  const from = resourceNames().sender;
  const raw = await new MailComposer({
    from,
    to: mail.to,
    subject: mail.subject,
    replyTo: mail.replyTo,
    html: mail.html,
    text: mail.text,
    attachments: mail.attachments,
  })
    .compile()
    .build();
  const result = await ses.send(
    new SendEmailCommand({ FromEmailAddress: from, Destination: { ToAddresses: mail.to }, Content: { Raw: { Data: raw } } }),
  );
  return result.MessageId;
}
