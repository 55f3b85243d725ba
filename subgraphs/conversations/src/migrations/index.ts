import { Migration20261121000000_conversations } from './Migration20261121000000_conversations';

/** Applied in this order; never edit one that has shipped, add a new one. */
export const migrations = [
  { name: 'Migration20261121000000_conversations', class: Migration20261121000000_conversations },
];
