export { acceptOnlyKey, acceptStoredKeys, type ApiKeyCheck, type StoredKeysOptions } from './api-key-check.js';
export { digestApiKey, generateApiKey } from './api-key-digest.js';
export { rotateApiKey, type RotatedKey } from './rotate-api-key.js';
export { storeSharedSecrets, type SharedSecrets } from './store-shared-secrets.js';
export { saveKeyToSecretsFile } from './save-key-to-secrets-file.js';
