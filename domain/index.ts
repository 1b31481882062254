export * from './codes';
export * from './events';
export * from './regions';
export * from './rules';
export * from './time';
export * from './finding-keys';
export * from './redact';
