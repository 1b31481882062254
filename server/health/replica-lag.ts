import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';

export interface ReplicaLag {
  /** WAL the replica has not replayed yet. */
  lagBytes: number;
  /** Age of the last replayed transaction while WAL is outstanding; 0 when caught up. */
  lagSeconds: number;
}

/**
 * How far the read replica trails the primary. Bytes come from comparing WAL positions, seconds
 * from the replica's last replayed commit — but only while bytes are outstanding: on an idle
 * primary the last commit grows old although the replica is fully caught up.
 */
export async function readReplicaLag(primary: Db, replica: Db): Promise<ReplicaLag> {
  const r = await replica.execute<{ lsn: string | null; age: string | null; recovering: boolean }>(
    sql`select pg_last_wal_replay_lsn()::text as lsn,
               extract(epoch from now() - pg_last_xact_replay_timestamp())::text as age,
               pg_is_in_recovery() as recovering`,
  );
  const row = r.rows[0];
  if (!row?.recovering || !row.lsn) throw new Error('DATABASE_READ_URL is not a streaming replica');
  const p = await primary.execute<{ bytes: string }>(
    sql`select greatest(pg_wal_lsn_diff(pg_current_wal_lsn(), ${row.lsn}::pg_lsn), 0)::text as bytes`,
  );
  const lagBytes = Number(p.rows[0]?.bytes ?? 0);
  return { lagBytes, lagSeconds: lagBytes > 0 ? Math.max(0, Number(row.age ?? 0)) : 0 };
}
