export { buildUsersSchema } from './schema';
export { startUsersSubgraph, USERS_DB_SCHEMA, type UsersSubgraph } from './app';
export { loadUsersConfig, usersEnvSchema, type UsersConfig } from './config';
