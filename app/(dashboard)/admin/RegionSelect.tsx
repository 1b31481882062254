'use client';
import { useLocale, useTranslations } from 'next-intl';
import { CITIES, PROVINCES, provinceOf } from '../../../domain/regions';

/** Region scope picker: nation-wide, a province, or a city under it. Value '' = nation-wide. */
export function RegionSelect(props: {
  name?: string;
  value?: string;
  onChange?: (v: string) => void;
  defaultValue?: string;
}) {
  const t = useTranslations('common');
  const en = useLocale() === 'en';
  return (
    <select
      name={props.name}
      value={props.value}
      defaultValue={props.defaultValue}
      onChange={props.onChange ? (e) => props.onChange?.(e.target.value) : undefined}
    >
      <option value="">{t('nationwide')}</option>
      {PROVINCES.map((p) => (
        <optgroup key={p.code} label={en ? p.nameEn : p.name}>
          <option value={p.code}>
            {en ? p.nameEn : p.name} ({p.code})
          </option>
          {CITIES.filter((c) => provinceOf(c.code) === p.code).map((c) => (
            <option key={c.code} value={c.code}>
              {'\u3000'}
              {en ? c.nameEn : c.name} ({c.code})
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}

export function parseRegion(v: FormDataEntryValue | string | null): number | null {
  return v === null || v === '' ? null : Number(v);
}
