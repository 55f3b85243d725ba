export * from './services';
export * from './env';
export * from './processes';
export * from './log-format';
export { checkNodeVersion, databaseName, ensureBackingStep } from './steps';
