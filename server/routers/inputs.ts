import { z } from 'zod';
import { isValidProvinceCode, isValidRegionCode } from '../../domain/regions';
import { PASSWORD_MAX, PASSWORD_MIN } from '../auth/password';
import { ROLES } from '../permissions';

/** Shared zod pieces for router inputs. Objects are strict: unknown keys are a 400, not ignored. */
export const roleInput = z.enum(ROLES);

export const regionCodeInput = z
  .number()
  .int()
  .refine(isValidRegionCode, { message: 'must be a 6-digit region code (GB/T 2260), e.g. 440000 or 440100' });

export const provinceCodeInput = z
  .number()
  .int()
  .refine(isValidProvinceCode, 'a province code such as 440000');

export const emailInput = z.email().max(254);

export const passwordInput = z
  .string()
  .min(PASSWORD_MIN, `at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `at most ${PASSWORD_MAX} characters`);

export const userIdInput = z.uuid();

/** Plain, printable text: no control characters (they end up in CSV and logs). */
export const labelInput = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');
