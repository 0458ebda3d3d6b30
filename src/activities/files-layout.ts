/**
 * Where a remediation's files live below FILES_ROOT. `per-account`: in FILES_ROOT/<accountID>/, so
 * one merchant's documents can never be uploaded to another merchant's account. `shared`: anywhere
 * below FILES_ROOT (the layout before per-account folders; opt in with FILES_LAYOUT=shared).
 */
export const FILES_LAYOUTS = ['per-account', 'shared'] as const;
export type FilesLayout = (typeof FILES_LAYOUTS)[number];

export const DEFAULT_FILES_LAYOUT: FilesLayout = 'per-account';
