export * from './chain';
export * from './projections';
export * from './rollups';
export * from './incidents';
export * from './auth';
export * from './audit';
export * from './alerts';
export * from './reports';
