import type { MemberRole } from './membership.entity';

interface Candidate {
  userId: string;
  role: MemberRole;
  joinedAt: Date;
}

/** The longest-standing ADMIN, else the longest-standing member; undefined when nobody is left. */
export function successorOwner<T extends Candidate>(remaining: readonly T[]): T | undefined {
  const byTenure = [...remaining].sort(
    (a, b) => a.joinedAt.getTime() - b.joinedAt.getTime() || a.userId.localeCompare(b.userId),
  );
  return byTenure.find((member) => member.role === 'ADMIN') ?? byTenure[0];
}
