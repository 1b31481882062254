import { describe, expect, it } from 'vitest';
import { ARTIFACTS } from '~/chain/deploy';
import { ADDRESS_FIELDS, CODE_FIELDS, HASH_FIELDS } from '~/domain/event-fields';

/** name → ABI type of every event input of the five contracts (a name always has one type). */
function eventFieldTypes(): Map<string, string> {
  const types = new Map<string, string>();
  for (const { abi } of Object.values(ARTIFACTS))
    for (const item of abi)
      if (item.type === 'event')
        for (const input of item.inputs) {
          const name = input.name ?? '';
          const seen = types.get(name);
          if (seen !== undefined && seen !== input.type)
            throw new Error(`${name} is both ${seen} and ${input.type}`);
          types.set(name, input.type);
        }
  return types;
}

const namesOfType = (pred: (type: string) => boolean) =>
  [...eventFieldTypes()].filter(([, type]) => pred(type)).map(([name]) => name);

describe('event field kinds (domain/event-fields.ts) match the compiled ABIs', () => {
  it('ADDRESS_FIELDS are exactly the address-typed event fields', () => {
    expect([...ADDRESS_FIELDS].sort()).toEqual(namesOfType((t) => t === 'address').sort());
  });

  it('HASH_FIELDS are the bytes32 event fields except the dataset id and the org code', () => {
    const hashes = namesOfType((t) => t === 'bytes32').filter((n) => n !== 'datasetId' && n !== 'orgCode');
    expect([...HASH_FIELDS].sort()).toEqual(hashes.sort());
  });

  it('every CODE_FIELDS key is an unsigned-integer event field', () => {
    const uints = namesOfType((t) => /^uint\d+$/.test(t));
    expect(Object.keys(CODE_FIELDS).filter((k) => !uints.includes(k))).toEqual([]);
    expect(Object.keys(CODE_FIELDS).length).toBe(8);
  });
});
