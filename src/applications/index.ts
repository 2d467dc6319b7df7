export {
  createApplication,
  getApplicationOrThrow,
  getApplicationRowOrThrow,
  listApplications,
  updateApplication,
  deleteApplication,
  type UpdateHooks,
} from './application-service.js';
export {
  ApplicationSchema,
  CreateApplicationBody,
  UpdateApplicationBody,
  ListApplicationsQuery,
  type CreateApplicationInput,
  type UpdateApplicationInput,
  type ListApplicationsInput,
} from './application-schemas.js';
export { applicationToJson, type ApplicationRow } from './application-row.js';
export { checkApplicationFields } from './check-application-fields.js';
