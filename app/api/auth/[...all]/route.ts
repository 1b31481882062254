import { AUTH_BODY_LIMIT, BodyTooLargeError, jsonError, limitBody } from '../../../../server/http/limits';
import { getAuth } from '../../../../server/runtime';

/** better-auth's endpoints (sign-in, sign-out, two-factor, session), behind a body cap. */
async function handle(req: Request): Promise<Response> {
  try {
    return await getAuth().handler(await limitBody(req, AUTH_BODY_LIMIT));
  } catch (e) {
    if (e instanceof BodyTooLargeError) return jsonError(413, 'PAYLOAD_TOO_LARGE', e.message);
    throw e;
  }
}

export { handle as GET, handle as POST };
