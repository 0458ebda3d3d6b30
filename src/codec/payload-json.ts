import type { Payload } from '@temporalio/common';

/**
 * Payload protobuf as JSON (proto3 JSON mapping): metadata values and data are base64 strings.
 * The codec server protocol speaks this. (The SDK has equivalent helpers in
 * @temporalio/common/lib/proto-utils, but they need one protobufjs shared by @temporalio/common and
 * @temporalio/proto; npm installs two copies here, so those helpers throw "type must be a Type".)
 */
export interface JSONPayload {
  metadata?: Record<string, string> | null;
  data?: string | null;
}

export class InvalidPayloadJSONError extends Error {
  override readonly name = 'InvalidPayloadJSONError';
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function fromBase64(value: string, what: string): Buffer {
  if (!BASE64.test(value)) throw new InvalidPayloadJSONError(`${what} is not base64`);
  return Buffer.from(value, 'base64');
}

export function payloadFromJSON(json: JSONPayload): Payload {
  const metadata = Object.fromEntries(Object.entries(json.metadata ?? {}).map(([k, v]) => [k, fromBase64(v, `metadata "${k}"`)]));
  return { metadata, data: fromBase64(json.data ?? '', 'data') };
}

/** Empty fields are left out, as proto3 JSON does. */
export function payloadToJSON(payload: Payload): JSONPayload {
  const json: JSONPayload = {};
  const entries = Object.entries(payload.metadata ?? {}).filter(([, v]) => v !== null && v !== undefined);
  if (entries.length > 0) json.metadata = Object.fromEntries(entries.map(([k, v]) => [k, Buffer.from(v!).toString('base64')]));
  if (payload.data && payload.data.length > 0) json.data = Buffer.from(payload.data).toString('base64');
  return json;
}
