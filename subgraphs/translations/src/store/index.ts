export * from './message-translation.entity';
export * from './message-state.entity';
export * from './orm';
export { migrations as translationsMigrations } from './migrations';
