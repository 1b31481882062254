import { createHash } from 'node:crypto';
import { sm3Hex } from '~/server/signing/sm3';

/** An attachment of a 反馈 as it arrives (base64 over tRPC's JSON) and as it is stored. */
export interface AttachmentInput {
  filename: string;
  contentType: string;
  base64: string;
}

export interface HashedAttachment {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  sm3: string;
  content: Buffer;
}

export function hashAttachment(a: AttachmentInput): HashedAttachment {
  const content = Buffer.from(a.base64, 'base64');
  return {
    filename: a.filename,
    contentType: a.contentType,
    size: content.length,
    sha256: createHash('sha256').update(content).digest('hex'),
    sm3: sm3Hex(content),
    content,
  };
}

/**
 * The digest an answer is recorded under: SHA-256 over the text and each attachment's SHA-256, one
 * per line, so the history row proves what the department said and sent (recompute to check).
 */
export function answerDigest(text: string, files: readonly { sha256: string }[]): string {
  return createHash('sha256')
    .update([text, ...files.map((f) => f.sha256)].join('\n'))
    .digest('hex');
}
