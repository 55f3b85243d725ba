import { Migration20261121100000_translations } from './Migration20261121100000_translations';

/** Applied in this order; never edit one that has shipped, add a new one. */
export const migrations = [
  { name: 'Migration20261121100000_translations', class: Migration20261121100000_translations },
];
