import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from '@parley/common';
import DataLoader from 'dataloader';
import { UserEntity } from './user.entity';

/** One `select ... where id in (...)` per tick, whatever the number of users a request needs. */
export function createUserLoader(em: EntityManager): DataLoader<string, UserEntity | null> {
  return new DataLoader(async (ids) => {
    const valid = ids.filter(isUuid);
    const rows = valid.length ? await em.find(UserEntity, { id: { $in: valid } }) : [];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}
