// The request's shape and the "Share account connection" page's scopes live in src/domain, where the workflow's input checks them.
export { APPLICATION_SCOPES, shareConnectionSchema } from '../../domain/moov-requests/connections';
export type { ApplicationScope, ShareConnection } from '../../domain/moov-requests/connections';
