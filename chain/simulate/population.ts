import { stringToHex, type Address, type Hex } from 'viem';
import { CITIES, findRegion, provinceOf, type Region } from '../../domain/regions';
import { DEPARTMENT_KINDS } from '../../domain/codes';
import { CATEGORIES_BY_KIND, MODE_SETS, PURPOSE_BY_KIND, SENSITIVITY_BY_CATEGORY } from './catalog';
import { departmentName, datasetTitle, enterpriseName, hospitalName } from './names';
import { deriveAddress, type Rng } from './prng';
import type { EventRef } from './plan';
import type { ScaleParams } from './scale';

export interface Org {
  idx: number;
  address: Address;
  orgCode: Hex;
  regionCode: number;
  province: number;
  kind: number;
  name: string;
  /** Block of registration (0 = setup); the org acts only in later blocks. */
  joinK: number;
  /** Block of deactivation; the org never acts in it or after it. */
  retireK?: number;
  /** Used only by the anomaly injector. */
  reserved: boolean;
}

export interface Dataset {
  idx: number;
  id: Hex;
  owner: Org;
  category: number;
  sensitivity: number;
  title: string;
}

export interface Grant {
  id: Hex;
  dataset: Dataset;
  grantee: Org;
  grantor: Org;
  purpose: number;
  modes: number;
  validUntil: number;
  createK: number;
  ref?: EventRef;
  revokedK?: number;
  /** Last block with an access under this grant: it is revoked only in a later block. */
  lastUseK: number;
  reserved: boolean;
}

export interface Population {
  orgs: Org[];
  departments: Org[];
  /** Departments by `${cityCode}-${kind}`. */
  deptByCityKind: Map<string, Org>;
  issuers: Org[];
  datasets: Dataset[];
  cities: readonly Region[];
}

/** Unified social credit code (统一社会信用代码)-shaped org code, stored as bytes32 text. */
function orgCode(rng: Rng, regionCode: number, kind: number): Hex {
  const prefix = kind >= 20 ? '91' : '11';
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let tail = '';
  for (let i = 0; i < 10; i++) tail += alphabet[rng.int(0, alphabet.length - 1)];
  return stringToHex(`${prefix}${regionCode}${tail}`, { size: 32 });
}

/**
 * Departments of every kind in every city, enterprises and hospitals, and the datasets the
 * departments own. Addresses depend on the seed only, so every scale and the live helper agree on
 * who is who; ids of datasets depend on `ids` (seed and span), so a second run never collides.
 */
export function buildPopulation(p: { seed: string; scale: ScaleParams; rng: Rng; ids: Rng }): Population {
  const { rng, ids, scale } = p;
  const orgs: Org[] = [];
  const add = (region: Region, kind: number, name: string, label: string): Org => {
    const o: Org = {
      idx: orgs.length,
      address: deriveAddress(p.seed, label),
      orgCode: orgCode(rng, region.code, kind),
      regionCode: region.code,
      province: provinceOf(region.code),
      kind,
      name,
      joinK: 0,
      reserved: false,
    };
    orgs.push(o);
    return o;
  };
  const deptByCityKind = new Map<string, Org>();
  for (const city of CITIES) {
    for (const kind of DEPARTMENT_KINDS) {
      deptByCityKind.set(
        `${city.code}-${kind}`,
        add(city, kind, departmentName(city, kind), `dept-${city.code}-${kind}`),
      );
    }
  }
  const departments = [...deptByCityKind.values()];
  for (const city of CITIES) {
    for (let i = 0; i < scale.hospitalsPerCity; i++)
      add(city, 21, hospitalName(city, i), `hosp-${city.code}-${i}`);
    for (let i = 0; i < scale.enterprisesPerCity; i++)
      add(city, 20, enterpriseName(city, i), `ent-${city.code}-${i}`);
  }
  const issuers = orgs.filter((o) => o.kind >= 20);

  const datasets: Dataset[] = [];
  for (const owner of departments) {
    const cats = CATEGORIES_BY_KIND[owner.kind] ?? [1];
    const region = findRegion(owner.regionCode);
    for (let i = 0; i < scale.datasetsPerDepartment; i++) {
      const category = cats[i % cats.length] ?? 1;
      const sens = SENSITIVITY_BY_CATEGORY[category] ?? [2];
      datasets.push({
        idx: datasets.length,
        id: ids.hex32(),
        owner,
        category,
        sensitivity: sens[(i + rng.int(0, 2)) % sens.length] ?? 2,
        // i-th dataset of the owner; its category repeats every cats.length: the nth of that category.
        title: region
          ? datasetTitle(region, category, Math.floor(i / cats.length))
          : `数据集${datasets.length}`,
      });
    }
  }
  return { orgs, departments, deptByCityKind, issuers, datasets, cities: CITIES };
}

/**
 * Makes grants with distinct (grantee, dataset) pairs, so that a VOLUME_SPIKE pair belongs to one
 * grant only. Sensitive datasets (≥ 3) are granted only within the owner's province.
 */
export class GrantFactory {
  private readonly pairs = new Set<number>();
  constructor(
    private readonly pop: Population,
    private readonly rng: Rng,
    private readonly ids: Rng,
  ) {}

  make(p: {
    createK: number;
    validUntil: number;
    reserved: boolean;
    /** 'same': grantee in the owner's province; 'any': lawful choice; 'cross-sensitive': CPS bait. */
    where: 'same' | 'any' | 'cross-sensitive';
  }): Grant {
    for (let attempt = 0; attempt < 10_000; attempt++) {
      const grantee = this.rng.pick(this.pop.departments);
      const dataset = this.rng.pick(this.pop.datasets);
      if (dataset.owner === grantee) continue;
      const sameProvince = dataset.owner.province === grantee.province;
      if (p.where === 'cross-sensitive') {
        if (sameProvince || dataset.sensitivity < 3) continue;
      } else if (!sameProvince) {
        if (p.where === 'same' || dataset.sensitivity >= 3 || !this.rng.chance(0.25)) continue;
      }
      const key = grantee.idx * 1_000_000 + dataset.idx;
      if (this.pairs.has(key)) continue;
      this.pairs.add(key);
      return {
        id: this.ids.hex32(),
        dataset,
        grantee,
        grantor: dataset.owner,
        purpose: PURPOSE_BY_KIND[grantee.kind] ?? 1,
        modes: this.rng.pick(MODE_SETS),
        validUntil: p.validUntil,
        createK: p.createK,
        lastUseK: -1,
        reserved: p.reserved,
      };
    }
    throw new Error('no free (grantee, dataset) pair left for a new grant');
  }
}
