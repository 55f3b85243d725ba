import { Migration20261121200000_messages } from './Migration20261121200000_messages';

/** Applied in this order; never edit one that has shipped, add a new one. */
export const migrations = [{ name: 'Migration20261121200000_messages', class: Migration20261121200000_messages }];
