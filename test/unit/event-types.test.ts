import type { Address, Hash } from 'viem';
import { describe, expectTypeOf, it } from 'vitest';
import type { BatchItem, DecodedEventArgs, EventArgs } from '~/chain/events';
import type { dataSharingAbi } from '~/chain/compiled';
import type { Items } from '~/chain/simulate/plan';

// Type-level checks (tsc runs them in `npm run check`): the shapes derived from the compiled ABIs
// are the exact shapes the indexer, the simulator and the tests were written against.
describe('event and batch types derived from the ABIs', () => {
  it('decoded event fields', () => {
    expectTypeOf<EventArgs['AccessGranted']>().toEqualTypeOf<{
      grantId: Hash;
      datasetId: Hash;
      grantee: Address;
      grantor: Address;
      purpose: number;
      modes: number;
      validUntil: number;
    }>();
    expectTypeOf<DecodedEventArgs<'AccessGranted'>['validUntil']>().toEqualTypeOf<bigint>();
    expectTypeOf<EventArgs['InvoiceIssued']>().toEqualTypeOf<{
      invoiceHash: Hash;
      issuer: Address;
      regionCode: number;
      amountFen: bigint;
    }>();
    expectTypeOf<EventArgs['OrgRegistered']>().toEqualTypeOf<
      {
        account: Address;
        orgCode: Hash;
        regionCode: number;
        kind: number;
        name: string;
      } & { nameRaw?: `0x${string}` }
    >();
    expectTypeOf<EventArgs['OrgDeactivated']>().toEqualTypeOf<{ account: Address }>();
  });

  it('batch items, and the simulator keeps wide integers as numbers', () => {
    expectTypeOf<BatchItem<typeof dataSharingAbi, 'revokeAccessBatch'>>().toEqualTypeOf<{
      grantId: Hash;
      revokedBy: Address;
    }>();
    expectTypeOf<Items['grant']['validUntil']>().toEqualTypeOf<number>();
    expectTypeOf<Items['reimburse']>().toEqualTypeOf<{
      invoiceHash: Hash;
      claimant: Address;
      amountFen: number;
    }>();
    expectTypeOf<Items['revokeCert']>().toEqualTypeOf<{ certHash: Hash; actor: Address }>();
    expectTypeOf<Items['deactivateOrgs']>().toEqualTypeOf<Address>();
  });
});
