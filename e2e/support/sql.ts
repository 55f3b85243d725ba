/** A SELECT a resolver ran: not the ORM's migration bookkeeping or catalog lookups. */
export const isDataSelect = (sql: string): boolean =>
  /\bselect\b/i.test(sql) && !/mikro_orm_migrations|information_schema|pg_/i.test(sql);
