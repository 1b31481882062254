'use client';
import { useLocale } from 'next-intl';
import { Fragment } from 'react';
import { regionGroups, type Region } from '~/domain/regions';

/**
 * The one region picker (filters of /incidents, /orgs and the dashboard pages; the admin's user
 * form): it offers only the regions inside `scope`, so a Guangdong regulator sees Guangdong and its
 * cities, not 34 provinces of which 33 would answer with nothing. The server enforces scope too.
 * Value '' = everything in scope (`allLabel`).
 */
export function RegionSelect({
  scope,
  allLabel,
  name = 'region',
  value,
  defaultValue,
  onChange,
  showCodes = false,
  required = false,
}: {
  scope: number | null;
  allLabel: string;
  name?: string;
  value?: string;
  defaultValue?: string;
  onChange?: (v: string) => void;
  /** Print the division code beside each name (the admin assigns scopes by code). */
  showCodes?: boolean;
  /** A region must be picked: `allLabel` is then a prompt that does not submit. */
  required?: boolean;
}) {
  const en = useLocale() === 'en';
  const label = (r: Region, indent: boolean) =>
    `${indent ? '\u3000' : ''}${en ? r.nameEn : r.name}${showCodes ? ` (${r.code})` : ''}`;
  const options = (regions: Region[], grouped: boolean) =>
    regions.map((r) => (
      <option key={r.code} value={r.code}>
        {label(r, grouped && r.level !== 'province')}
      </option>
    ));
  return (
    <select
      name={name}
      value={value}
      defaultValue={defaultValue}
      onChange={onChange ? (e) => onChange(e.target.value) : undefined}
      required={required}
      data-testid={`${name}-select`}
    >
      <option value="">{allLabel}</option>
      {regionGroups(scope).map((g) =>
        g.province ? (
          <optgroup key={g.province.code} label={en ? g.province.nameEn : g.province.name}>
            {options(g.regions, true)}
          </optgroup>
        ) : (
          <Fragment key="in-scope">{options(g.regions, false)}</Fragment>
        ),
      )}
    </select>
  );
}

/** A picker's value as a region code: '' (or nothing) is null. */
export function parseRegion(v: FormDataEntryValue | string | null): number | null {
  return v === null || v === '' ? null : Number(v);
}
