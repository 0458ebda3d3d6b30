/**
 * Every answer the receiver gives Moov, one row each: the HTTP status and what it means.
 * Moov counts any 2xx within 5 s as delivered and retries anything else for up to 24 hours
 * (docs.moov.io/guides/webhooks), so a 2xx is given only once Temporal has accepted what the
 * delivery asks (or it asks nothing), and a failure Temporal may get over is a 503.
 *
 * `refusal` rows are the deliveries refused for what they are (4xx): each counts in
 * `moov_webhook_refusals_total{reason}`; every other answer counts in
 * `moov_webhook_deliveries_total{outcome}`. docs/webhooks.md shows this table.
 */
export const ANSWERS = {
  // Acknowledged (2xx)
  signaled: { status: 200, refusal: false, meaning: "the account's running remediation was signalled (moovChanged) to re-read Moov" },
  'triage-started': { status: 200, refusal: false, meaning: 'no remediation was running: a triage (account-event-<accountID>) was started, or a running one joined (WEBHOOK_AUTOSTART=true)' },
  'no-remediation': { status: 200, refusal: false, meaning: 'no remediation was running and WEBHOOK_AUTOSTART is off: acknowledged and counted' },
  'invalid-template': { status: 200, refusal: false, meaning: "the sweep Schedule's input is not a valid sweep input, so no triage was started (logged as an error)" },
  'test-event': { status: 200, refusal: false, meaning: "Moov's test event (event.test)" },
  'ignored-type': { status: 200, refusal: false, meaning: 'an event type that does not concern remediation: acknowledged and counted' },
  // Not acknowledged: Moov retries
  'temporal-unavailable': { status: 503, refusal: false, meaning: 'Temporal did not accept the signal or start in time (4 s) or failed: Moov retries' },
  'internal-error': { status: 500, refusal: false, meaning: 'a fault of the receiver itself (logged): Moov retries' },
  // Refused (4xx)
  'missing-header': { status: 401, refusal: true, meaning: 'X-Signature, X-Timestamp, X-Nonce or X-Webhook-ID is missing' },
  'bad-signature': { status: 401, refusal: true, meaning: 'X-Signature is not the signature of the headers under any of MOOV_WEBHOOK_SECRETS' },
  'bad-timestamp': { status: 401, refusal: true, meaning: 'X-Timestamp (signed) is in no format the receiver reads; the log line shows it' },
  'stale-timestamp': { status: 401, refusal: true, meaning: 'X-Timestamp is further than WEBHOOK_TIMESTAMP_TOLERANCE from the receiver clock, either way' },
  'replayed-nonce': { status: 409, refusal: true, meaning: 'this X-Nonce was acknowledged (or is being handled) within the window: a replay' },
  'bad-body': { status: 400, refusal: true, meaning: 'the body is not a Moov event ({eventID, type, data, createdOn}; data.accountID for account events)' },
  'body-too-large': { status: 413, refusal: true, meaning: 'the body is larger than any Moov event (64 KiB)' },
  'not-found': { status: 404, refusal: true, meaning: 'not POST /webhooks/moov: no such path' },
  'method-not-allowed': { status: 405, refusal: true, meaning: 'the path takes only POST' },
} as const satisfies Record<string, { status: number; refusal: boolean; meaning: string }>;

export type Answer = keyof typeof ANSWERS;
export type Refusal = { [K in Answer]: (typeof ANSWERS)[K]['refusal'] extends true ? K : never }[Answer];
