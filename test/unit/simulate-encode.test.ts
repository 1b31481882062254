import { describe, expect, it } from 'vitest';
import { encodeFunctionData } from 'viem';
import {
  certificateRegistryAbi,
  dataSharingAbi,
  invoiceLedgerAbi,
  orgRegistryAbi,
  serviceLedgerAbi,
} from '../../chain/compiled';
import { encodeBatch } from '../../chain/simulate/encode';
import { createRng } from '../../chain/simulate/prng';

const r = createRng('encode');
const addr = () => `0x${r.hex32().slice(26)}` as const;

describe('simulate encode', () => {
  it('hand-encodes static batches exactly like viem', () => {
    const access = Array.from({ length: 3 }, () => ({
      grantId: r.hex32(),
      datasetId: r.hex32(),
      accessor: addr(),
      mode: 4,
      purpose: 3,
      recordCount: 999,
      payloadHash: r.hex32(),
    }));
    expect(encodeBatch('access', access)).toBe(
      encodeFunctionData({ abi: dataSharingAbi, functionName: 'recordAccessBatch', args: [access] }),
    );
    const grants = [
      {
        grantId: r.hex32(),
        datasetId: r.hex32(),
        grantee: addr(),
        grantor: addr(),
        purpose: 8,
        modes: 15,
        validUntil: 4_102_444_800,
      },
    ];
    expect(encodeBatch('grant', grants)).toBe(
      encodeFunctionData({
        abi: dataSharingAbi,
        functionName: 'grantAccessBatch',
        args: [grants.map((g) => ({ ...g, validUntil: BigInt(g.validUntil) }))],
      }),
    );
    const inv = [{ invoiceHash: r.hex32(), issuer: addr(), regionCode: 440100, amountFen: 12_345_678 }];
    expect(encodeBatch('issueInvoice', inv)).toBe(
      encodeFunctionData({
        abi: invoiceLedgerAbi,
        functionName: 'issueBatch',
        args: [inv.map((x) => ({ ...x, amountFen: BigInt(x.amountFen) }))],
      }),
    );
    const verify = [{ certHash: r.hex32(), actor: addr() }];
    expect(encodeBatch('verifyCert', verify)).toBe(
      encodeFunctionData({ abi: certificateRegistryAbi, functionName: 'verifyBatch', args: [verify] }),
    );
    const cases = [
      {
        caseId: r.hex32(),
        org: addr(),
        regionCode: 110108,
        itemCode: 4001,
        channel: 3,
        orgsInvolved: 2,
        durationMinutes: 90,
      },
    ];
    expect(encodeBatch('completeCase', cases)).toBe(
      encodeFunctionData({ abi: serviceLedgerAbi, functionName: 'completeCaseBatch', args: [cases] }),
    );
    const gone = [addr(), addr()];
    expect(encodeBatch('deactivateOrgs', gone)).toBe(
      encodeFunctionData({ abi: orgRegistryAbi, functionName: 'deactivateBatch', args: [gone] }),
    );
    expect(encodeBatch('access', [])).toBe(
      encodeFunctionData({ abi: dataSharingAbi, functionName: 'recordAccessBatch', args: [[]] }),
    );
  });
});
