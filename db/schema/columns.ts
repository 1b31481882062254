import { customType, varchar } from 'drizzle-orm/pg-core';
import type { Address, Hash } from 'viem';

/** Lower-case 0x address. */
export const address = (name: string) => varchar(name, { length: 42 }).$type<Address>();
/** Lower-case 0x 32-byte hash. */
export const hash = (name: string) => varchar(name, { length: 66 }).$type<Hash>();

/** uint256 and money: numeric(78,0) read and written as bigint, never a float. */
export const uint256 = customType<{ data: bigint; driverData: string }>({
  dataType: () => 'numeric(78, 0)',
  toDriver: (v) => v.toString(),
  fromDriver: (v) => BigInt(v),
});
