import type { CliCommand } from '../command';

/** A command by name, its module loaded only when it runs: start-up pays for one command's imports. */
export interface CommandEntry {
  name: string;
  load(): Promise<CliCommand>;
}

/** Every command of DESIGN §3 that has landed; add new ones here. */
export const COMMANDS: CommandEntry[] = [
  { name: 'deploy', load: async () => (await import('./deploy')).deployCommand },
  { name: 'migrate', load: async () => (await import('./migrate')).migrateCommand },
  { name: 'simulate', load: async () => (await import('./simulate')).simulateCommand },
  { name: 'index', load: async () => (await import('./index-chain')).indexCommand },
  { name: 'stats', load: async () => (await import('./stats')).statsCommand },
  { name: 'reindex', load: async () => (await import('./reindex')).reindexCommand },
  { name: 'create-user', load: async () => (await import('./create-user')).createUserCommand },
  { name: 'create-token', load: async () => (await import('./create-token')).createTokenCommand },
  { name: 'export-incidents', load: async () => (await import('./export-incidents')).exportIncidentsCommand },
  { name: 'verify-export', load: async () => (await import('./verify-export')).verifyExportCommand },
  { name: 'verify-package', load: async () => (await import('./verify-package')).verifyPackageCommand },
  { name: 'work', load: async () => (await import('./work')).workCommand },
  { name: 'report', load: async () => (await import('./report')).reportCommand },
  { name: 'targets', load: async () => (await import('./targets')).targetsCommand },
  { name: 'calendar', load: async () => (await import('./calendar')).calendarCommand },
  { name: 'keys', load: async () => (await import('./keys')).keysCommand },
  { name: 'verify-audit', load: async () => (await import('./verify-audit')).verifyAuditCommand },
  { name: 'verify-derived', load: async () => (await import('./verify-derived')).verifyDerivedCommand },
  { name: 'archive', load: async () => (await import('./archive')).archiveCommand },
];
