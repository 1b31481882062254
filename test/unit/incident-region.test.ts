import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { incidentRegion } from '~/app/_lib/labels';
import { CHAIN_WIDE_RULES, incidentRegionLabel, RULES } from '~/domain/rules';

const ROOT = join(import.meta.dirname, '../..');
const src = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('incident region: one rule on every page and export', () => {
  it('a chain-wide rule reads 全链 / Chain-wide, whatever its region code', () => {
    expect([...CHAIN_WIDE_RULES]).toEqual(['CHAIN_STALLED', 'MALFORMED_LOG']);
    expect(Object.keys(RULES)).toEqual(expect.arrayContaining([...CHAIN_WIDE_RULES]));
    expect(incidentRegion({ regionCode: 0, rule: 'CHAIN_STALLED' }, 'zh')).toBe('全链');
    expect(incidentRegion({ regionCode: 0, rule: 'CHAIN_STALLED' }, 'en')).toBe('Chain-wide');
    expect(incidentRegion({ regionCode: 0, rule: 'MALFORMED_LOG' }, 'zh')).toBe('全链');
  });

  it('another incident without a region reads 未登记地区 / Region not registered', () => {
    expect(incidentRegion({ regionCode: 0, rule: 'ACCESS_WITHOUT_GRANT' }, 'zh')).toBe('未登记地区');
    expect(incidentRegion({ regionCode: 0, rule: 'UNREGISTERED_ACTOR' }, 'en')).toBe('Region not registered');
  });

  it('an incident with a region reads its name, formatted as the caller asks', () => {
    expect(incidentRegion({ regionCode: 440100, rule: 'ACCESS_WITHOUT_GRANT' }, 'zh')).toBe('广州市');
    expect(incidentRegion({ regionCode: 440000, rule: 'VOLUME_SPIKE' }, 'en')).toBe('Guangdong');
    expect(
      incidentRegionLabel({ regionCode: 440100, rule: 'VOLUME_SPIKE' }, 'zh', (c) => `广州市（${c}）`),
    ).toBe('广州市（440100）');
  });

  // The overview said 未登记 and the list 未知区域 for the same incident: each now calls the one rule.
  it.each([
    ['app/(dashboard)/OverviewView.tsx', 'incidentRegion(i, lang)'],
    ['app/(dashboard)/incidents/IncidentsView.tsx', 'incidentRegion(r, lang)'],
    ['app/screen/ScreenView.tsx', 'incidentRegion(i, lang)'],
    ['app/(dashboard)/incidents/[id]/IncidentDetailView.tsx', 'incidentRegionLabel(i, lang,'],
    ['server/evidence/package-summary.ts', "incidentRegionLabel(i, 'zh',"],
    ['server/exports/incident-rows.ts', 'incidentRegionLabel('],
  ])('%s uses the shared label', (path, call) => {
    const s = src(path);
    expect(s).toContain(call);
    expect(s).not.toMatch(/未知区域|t\('noRegion'\)/);
  });
});
