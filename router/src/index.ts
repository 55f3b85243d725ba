export { startRouter, type RunningRouter } from './app';
export { loadRouterConfig, routerEnvSchema, type RouterConfig } from './config';
