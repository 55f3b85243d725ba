/** The key that makes a DIRECT conversation unique per pair, whoever created it. */
export const directKey = (a: string, b: string): string => [a, b].sort().join(':');
