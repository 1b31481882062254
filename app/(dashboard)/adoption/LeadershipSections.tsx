'use client';
import { Definitions } from './Definitions';
import { SiloPanel } from './SiloPanel';
import { TargetsPanel } from './TargetsPanel';

/** The leadership sections of /adoption: definitions, targets, data-silo index. */
export function LeadershipSections({ province }: { province?: number }) {
  return (
    <>
      <Definitions />
      <TargetsPanel province={province} />
      <SiloPanel province={province} />
    </>
  );
}
