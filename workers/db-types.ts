import type { Db } from '../db/client';

type PgTx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Where a write may go: the pool-wide client, a drizzle transaction, or a drizzle client bound to
 * one pooled connection inside an explicit BEGIN (the range writer, which also needs COPY).
 */
export type Tx = Db | PgTx;
