/** The work of the triggers' actions (SPEC §8): drafts and sending, the interview pack, flags. */
export { startActionsWorker, type ActionsWorkerOptions } from './start-actions-worker.js';
export { mailSettingsFrom, type MailSettings } from './mail-settings.js';
export { resetFollowUpCadence } from './drafts/reset-follow-up-cadence.js';
