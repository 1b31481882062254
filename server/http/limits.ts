/**
 * Request body limits. tRPC inputs are small JSON (filters, a user, a comment): 64 KiB is ample
 * and stops memory abuse; better-auth bodies are smaller still.
 */
export const TRPC_BODY_LIMIT = 64 * 1024;
export const AUTH_BODY_LIMIT = 16 * 1024;

export class BodyTooLargeError extends Error {}

/**
 * Returns a copy of the request whose body has been read with a hard cap, so neither a lying
 * Content-Length nor a chunked body can make the server buffer more than `limit` bytes.
 */
export async function limitBody(req: Request, limit: number): Promise<Request> {
  if (req.method === 'GET' || req.method === 'HEAD' || !req.body) return req;
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > limit) throw new BodyTooLargeError(`body over ${limit} bytes`);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new BodyTooLargeError(`body over ${limit} bytes`);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  return new Request(req.url, { method: req.method, headers: req.headers, body, signal: req.signal });
}

export function jsonError(
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): Response {
  return Response.json(
    { error: { code, message, ...extra } },
    { status, headers: { 'cache-control': 'no-store' } },
  );
}
