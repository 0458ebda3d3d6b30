import { errors, request } from 'undici';
import type { Dispatcher } from 'undici';

export type PostOutcome = { status: number } | { status: null; error: string };

/**
 * One delivery attempt: a POST of `body`, answered or not within `timeoutMs`. Redirects are not
 * followed (a 3xx is no 2xx), and the answer's body is read and dropped: only the status counts.
 */
export async function postOnce(
  dispatcher: Dispatcher,
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  cancelled: AbortSignal,
): Promise<PostOutcome> {
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    const res = await request(url, {
      dispatcher,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'moov-sandbox-webhooks', ...headers },
      body,
      signal: AbortSignal.any([deadline, cancelled]),
    });
    await res.body.dump();
    return { status: res.statusCode };
  } catch (err) {
    if (cancelled.aborted) return { status: null, error: 'cancelled' };
    if (deadline.aborted) return { status: null, error: 'timeout' };
    return { status: null, error: errorCode(err) };
  }
}

function errorCode(err: unknown): string {
  if (err instanceof errors.UndiciError) return err.code;
  const code = (err as { code?: unknown; cause?: { code?: unknown } }).code ?? (err as { cause?: { code?: unknown } }).cause?.code;
  return typeof code === 'string' ? code : String(err);
}
