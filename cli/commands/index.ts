import type { CliCommand } from '../command';
import { calendarCommand } from './calendar';
import { createTokenCommand } from './create-token';
import { createUserCommand } from './create-user';
import { deployCommand } from './deploy';
import { migrateCommand } from './migrate';
import { simulateCommand } from './simulate';
import { exportIncidentsCommand } from './export-incidents';
import { verifyExportCommand } from './verify-export';
import { indexCommand } from './index-chain';
import { statsCommand } from './stats';
import { reindexCommand } from './reindex';
import { reportCommand } from './report';
import { targetsCommand } from './targets';
import { verifyAuditCommand } from './verify-audit';
import { workCommand } from './work';
import { keysCommand } from './keys';
import { verifyPackageCommand } from './verify-package';

/** Every command of DESIGN §3 that has landed; add new ones here. */
export const COMMANDS: CliCommand[] = [
  deployCommand,
  migrateCommand,
  simulateCommand,
  indexCommand,
  statsCommand,
  reindexCommand,
  createUserCommand,
  createTokenCommand,
  exportIncidentsCommand,
  verifyExportCommand,
  verifyPackageCommand,
  workCommand,
  reportCommand,
  targetsCommand,
  calendarCommand,
  keysCommand,
  verifyAuditCommand,
];
