import type { Config } from '../config.js';

/** What the actions need to know about mail, taken from the Config once. */
export interface MailSettings {
  from: { name: string; address: string } | undefined;
  /** SMTP_URL and MAIL_FROM are set: approved drafts go to the outbox and are sent. */
  smtpEnabled: boolean;
  /** HIREPULSE_AUTO_SEND: drafts the rules make are approved at once. */
  autoSend: boolean;
  /** Right-hand side of every Message-ID we make. */
  messageIdDomain: string;
  /** The person's zone (HIREPULSE_TIMEZONE): the meeting times a draft offers are in it. */
  timeZone: string;
}

export function mailSettingsFrom(config: Config): MailSettings {
  const domain = config.mailFrom?.address.split('@')[1] ?? new URL(config.publicBaseUrl).hostname;
  return {
    from: config.mailFrom,
    smtpEnabled: Boolean(config.smtpUrl && config.mailFrom),
    autoSend: config.autoSend,
    messageIdDomain: domain.toLowerCase(),
    timeZone: config.defaultTimezone,
  };
}
