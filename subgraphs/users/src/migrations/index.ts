import { Migration20261121000000_users } from './Migration20261121000000_users';

/** Applied in this order; never edit one that has shipped, add a new one. */
export const migrations = [{ name: 'Migration20261121000000_users', class: Migration20261121000000_users }];
