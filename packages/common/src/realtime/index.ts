export * from './conversation-event';
export * from './realtime-publisher';
export * from './router-extensions';
export * from './served-by-router';
