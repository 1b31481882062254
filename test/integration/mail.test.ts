import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer } from '../../workers/mail/mailer';
import { startTestMailbox, type TestMailbox } from '../helpers/smtp';

let box: TestMailbox;
beforeAll(async () => {
  box = await startTestMailbox();
});
afterAll(() => box.close());

describe('mailer', () => {
  it('delivers subject, Chinese body and attachment byte for byte', async () => {
    const mailer = createMailer({ smtpUrl: box.url, from: '链监 <lj@example.test>' });
    const pdf = Buffer.from('%PDF-1.4 test bytes \u0000\u00ff', 'latin1');
    await mailer.send({
      to: ['leader@example.test'],
      subject: '广东省 2026年11月 区域应用报告',
      text: '附件为本月报告。',
      attachments: [{ filename: 'report.pdf', content: pdf, contentType: 'application/pdf' }],
    });
    const [m] = await box.waitFor(1);
    expect(m?.subject).toBe('广东省 2026年11月 区域应用报告');
    expect(m?.text?.trim()).toBe('附件为本月报告。');
    expect(m?.attachments[0]?.filename).toBe('report.pdf');
    expect(Buffer.compare(m!.attachments[0]!.content, pdf)).toBe(0);
    mailer.close();
  });

  it('rejects when the server refuses, so the caller can retry', async () => {
    const mailer = createMailer({ smtpUrl: box.url, from: 'lj@example.test' });
    box.refuseNext(1);
    await expect(mailer.send({ to: ['a@example.test'], subject: 's', text: 't' })).rejects.toThrow(
      /451|try again/,
    );
    mailer.close();
  });
});
