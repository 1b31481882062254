import { createPublicClient, http, type PublicClient } from 'viem';
import { writeAudit } from '../audit';
import { verifyEvidenceZip, verifyManifestOnly, type EvidenceReport } from '../evidence/verify-package';
import { authenticate, type AuthenticateDeps } from '../http/authenticate';
import { BodyTooLargeError, jsonError, limitBody } from '../http/limits';
import { listSigningKeys } from '../signing/registry';

/** An upload is a package (a few MB) or a manifest; larger exports are verified with the CLI. */
export const EVIDENCE_UPLOAD_LIMIT = 64 * 1024 * 1024;

export interface EvidenceVerifyDeps extends AuthenticateDeps {
  /** The node events are re-read from (CHAIN_RPC_URL); null: offline checks only. */
  rpcUrl: string | null;
  client?: PublicClient;
}

export type EvidenceVerifyAnswer = EvidenceReport & { knownKey: boolean };

/**
 * POST /api/verify/evidence — the body is an evidence package or signed-export ZIP, or a manifest
 * (manifest.jsonl) on its own. Answers the full report: signature, files, every event re-read
 * from the node, and whether the signer is one of this deployment's keys (current or rotated).
 */
export function createEvidenceVerifyHandler(deps: EvidenceVerifyDeps) {
  return async (req: Request): Promise<Response> => {
    const a = await authenticate(deps, req, 'proof:read');
    if (!a.ok) return a.response;
    let bytes: Uint8Array;
    try {
      const limited = await limitBody(req, EVIDENCE_UPLOAD_LIMIT);
      bytes = new Uint8Array(await limited.arrayBuffer());
    } catch (e) {
      if (e instanceof BodyTooLargeError)
        return jsonError(
          413,
          'PAYLOAD_TOO_LARGE',
          'upload over 64 MB: verify large exports with `verify-export`',
        );
      throw e;
    }
    if (bytes.length === 0)
      return jsonError(400, 'BAD_REQUEST', 'empty upload: send a package ZIP or a manifest');
    const client =
      deps.client ??
      (deps.rpcUrl ? createPublicClient({ transport: http(deps.rpcUrl, { batch: true }) }) : null);
    const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
    let report: EvidenceReport;
    try {
      report = isZip
        ? await verifyEvidenceZip({ zip: bytes, client })
        : await verifyManifestOnly({ manifest: bytes, client });
    } catch (e) {
      return jsonError(
        502,
        'CHAIN_UNAVAILABLE',
        `the chain node could not be read: ${(e as Error).message.split('\n')[0]}`,
      );
    }
    const keys = await listSigningKeys(deps.db, null);
    const knownKey = !!report.signer && keys.some((k) => k.fingerprint === report.signer?.fingerprint);
    await writeAudit(deps.db, {
      actor: a.actor,
      ip: a.ip,
      action: 'evidence.verify',
      details: {
        kind: report.kind,
        ok: report.ok,
        problems: report.problems.length,
        signer: report.signer?.fingerprint,
      },
    });
    const answer: EvidenceVerifyAnswer = { ...report, knownKey };
    return Response.json(answer, { headers: { 'cache-control': 'no-store' } });
  };
}
