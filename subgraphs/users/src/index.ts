export { buildUsersSchema } from './schema';
export { startUsersSubgraph } from './app';
export { createUsersOrm, USERS_DB_SCHEMA } from './orm';
export { loadUsersConfig, usersEnvSchema, type UsersConfig } from './config';
