import type { ServerExecutable } from './locate';

/** The shape @temporalio/testing expects for `server.executable`. */
export type SdkExecutable = { type: 'existing-path'; path: string } | { type: 'cached-download' };

export function toSdkExecutable(executable: ServerExecutable): SdkExecutable {
  return executable.source === 'sdk-download'
    ? { type: 'cached-download' }
    : { type: 'existing-path', path: executable.path };
}
