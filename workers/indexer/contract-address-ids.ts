import { sql } from 'drizzle-orm';
import type { Address } from 'viem';
import type { Tx } from '~/db/client';

/**
 * The number of each of `addresses` of chain `chainId` in contract_addresses, inserting those not
 * yet numbered. Only a number read back committed is remembered in `committed`: one inserted by
 * the caller's transaction may still be rolled back, so the next range looks it up again (and
 * finds it then, once committed).
 */
export async function contractAddressIds(
  db: Tx,
  chainId: number,
  addresses: Iterable<Address>,
  committed: Map<Address, number>,
): Promise<Map<Address, number>> {
  const out = new Map<Address, number>();
  for (const address of addresses) {
    const known = committed.get(address);
    if (known !== undefined) {
      out.set(address, known);
      continue;
    }
    const select = sql`SELECT id FROM contract_addresses WHERE chain_id = ${chainId} AND address = ${address}`;
    let id = (await db.execute<{ id: number }>(select)).rows[0]?.id;
    if (id !== undefined) committed.set(address, id);
    else {
      const made = await db.execute<{ id: number }>(
        sql`INSERT INTO contract_addresses (chain_id, address) VALUES (${chainId}, ${address})
            ON CONFLICT (chain_id, address) DO NOTHING RETURNING id`,
      );
      // Another worker numbered it meanwhile: its row is committed (the insert waited for it), and
      // a new statement sees it.
      id = made.rows[0]?.id ?? (await db.execute<{ id: number }>(select)).rows[0]?.id;
      if (id === undefined) throw new Error(`no number for contract address ${address} of chain ${chainId}`);
    }
    out.set(address, id);
  }
  return out;
}
