/**
 * `npm run cli -- <command>`. Kept tiny on purpose: the stop signals of `work` are listened for
 * before the commands' modules load (see cli/signals.ts); everything else is in cli/run.ts.
 */
import { listenForStop } from './signals';

if (process.argv[2] === 'work') listenForStop();
await import('./run');
