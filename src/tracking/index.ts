export { recordLiveClick, OWNER_REASON, type LiveClick, type ClickSettings, type RecordedClick } from './record-live-click.js';
export { importClicks, type ImportResult } from './import-clicks.js';
export { insertLink, listLinksOfApplication, linkToJson, setLinkDisabled, setLinkSentAt, type LinkRow } from './link-repository.js';
export { CreateLinkBody, ImportClicksBody, LinkSchema, UpdateLinkBody, type CreateLinkInput, type UpdateLinkInput } from './link-schemas.js';
export { createLink } from './create-link.js';
export { ClickBatcher, type ClickBatcherOptions } from './click-batcher.js';
export { updateLink } from './update-link.js';
