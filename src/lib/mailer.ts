/**
 * Outgoing e-mail. With SMTP_URL, nodemailer sends over SMTP; without it the
 * message is written to the log instead (development), and start-up says so.
 * The SMTP URL can hold credentials: only its host and port are ever shown.
 */
import nodemailer from "nodemailer";
import { logger } from "./logger.ts";

export interface MailAddress {
  name?: string;
  address: string;
}

export interface MailMessage {
  from: MailAddress;
  to: MailAddress;
  subject: string;
  text: string;
  /**
   * A Message-ID fixed by what the mail is about: if a worker dies after the
   * server accepted the mail and before the job was marked done, the repeat
   * carries the same id, so a receiving system can recognise the duplicate.
   */
  messageId?: string;
  attachments?: { filename: string; content: string; contentType: string }[];
}

export interface Mailer {
  /** "SMTP at host:port" or "log only": safe to print. */
  readonly description: string;
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** A header value never carries a line break (header injection through a business or customer name). */
const oneLine = (value: string) => value.replace(/[\r\n]+/g, " ").trim();
const address = (a: MailAddress) => ({ name: oneLine(a.name ?? ""), address: oneLine(a.address) });

function describeSmtp(url: string): string {
  const parsed = new URL(url);
  return `SMTP at ${parsed.hostname}:${parsed.port || (parsed.protocol === "smtps:" ? "465" : "25")}`;
}

export function createMailer(smtpUrl: string | undefined): Mailer {
  if (!smtpUrl) {
    return {
      description: "log only (SMTP_URL is not set)",
      async send(message) {
        logger.info(
          { mail: { from: address(message.from), to: address(message.to), subject: oneLine(message.subject), text: message.text, attachments: message.attachments?.map((a) => a.filename) } },
          "e-mail not sent: SMTP_URL is not set, so it is logged instead",
        );
      },
      close() {},
    };
  }
  // Timeouts below a job's expiry, so a hung server fails the run (and it is retried) instead of outliving it.
  const transport = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
  return {
    description: describeSmtp(smtpUrl),
    async send(message) {
      await transport.sendMail({
        from: address(message.from),
        to: address(message.to),
        subject: oneLine(message.subject),
        text: message.text,
        messageId: message.messageId,
        attachments: message.attachments,
      });
    },
    close() {
      transport.close();
    },
  };
}
