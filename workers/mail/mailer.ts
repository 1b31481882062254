import nodemailer from 'nodemailer';

/** One outgoing message; attachments carry their bytes so a retry sends exactly the same mail. */
export interface MailMessage {
  to: string[];
  subject: string;
  text: string;
  html?: string;
  attachments?: { filename: string; content: Buffer; contentType?: string }[];
}

export interface Mailer {
  /** Resolves with the SMTP message id; rejects when the server refuses or cannot be reached. */
  send(message: MailMessage): Promise<string>;
  close(): void;
}

/**
 * A mailer over `SMTP_URL` (smtp://user:pass@host:port, smtps:// for implicit TLS). Reminders,
 * escalations and report delivery share it; callers record failures and retry on their own schedule,
 * so nodemailer's pool stays small and never retries by itself.
 */
export function createMailer(p: { smtpUrl: string; from: string }): Mailer {
  const transport = nodemailer.createTransport(p.smtpUrl);
  return {
    async send(m) {
      const info = await transport.sendMail({
        from: p.from,
        to: m.to.join(', '),
        subject: m.subject,
        text: m.text,
        html: m.html,
        attachments: m.attachments,
      });
      return String(info.messageId);
    },
    close: () => transport.close(),
  };
}
