import { getTableName, isTable } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DERIVED_TABLES, INDEXED_TABLES } from '~/db/indexed-tables';
import * as schema from '~/db/schema';

describe('db/indexed-tables', () => {
  it('every listed table is a table of db/schema, listed once', () => {
    const tables = new Set(Object.values(schema).filter(isTable).map(getTableName));
    expect(INDEXED_TABLES.filter((t) => !tables.has(t))).toEqual([]);
    expect(new Set(INDEXED_TABLES).size).toBe(INDEXED_TABLES.length);
  });

  it('the derived tables are the indexed ones minus raw chain data and incidents', () => {
    expect(INDEXED_TABLES.filter((t) => !(DERIVED_TABLES as readonly string[]).includes(t))).toEqual([
      'blocks',
      'events',
      'accesses',
      'incidents',
      'incident_evidence',
    ]);
  });
});
