import { webEnv } from '../env';
import { loadSigningKey, type SigningKey } from './keys';

/** The web runtime's signing key (SIGNING_KEY_FILE), or null when none is configured or readable. */
export function currentSigningKey(): SigningKey | null {
  try {
    return loadSigningKey(webEnv().SIGNING_KEY_FILE);
  } catch {
    return null;
  }
}
