/**
 * Column roles and their names, shared by every reader: a header row, NDJSON keys, Arrow field
 * names and the `columns` option all resolve through the same alias table.
 */
import { SupernodeError } from '../errors.js';

export const ROLE_SOURCE = 0;
export const ROLE_TARGET = 1;
export const ROLE_WEIGHT = 2;
export const ROLE_TIMESTAMP = 3;
export const ROLE_TYPE = 4;
export const ROLE_IGNORE = 5;
export type Role = 0 | 1 | 2 | 3 | 4 | 5;

export const ROLE_NAMES = ['source', 'target', 'weight', 'timestamp', 'type', 'ignore'] as const;

const ALIASES: ReadonlyMap<string, Role> = new Map<string, Role>([
  ['source', ROLE_SOURCE], ['src', ROLE_SOURCE], ['from', ROLE_SOURCE], ['node_1', ROLE_SOURCE],
  ['node1', ROLE_SOURCE], ['u', ROLE_SOURCE], ['fromnodeid', ROLE_SOURCE],
  ['target', ROLE_TARGET], ['dst', ROLE_TARGET], ['to', ROLE_TARGET], ['node_2', ROLE_TARGET],
  ['node2', ROLE_TARGET], ['v', ROLE_TARGET], ['tonodeid', ROLE_TARGET],
  ['weight', ROLE_WEIGHT], ['w', ROLE_WEIGHT], ['count', ROLE_WEIGHT],
  ['timestamp', ROLE_TIMESTAMP], ['ts', ROLE_TIMESTAMP], ['time', ROLE_TIMESTAMP], ['unixts', ROLE_TIMESTAMP],
  ['type', ROLE_TYPE], ['kind', ROLE_TYPE],
  // Explicit "skip this column" names for the `columns` option.
  ['', ROLE_IGNORE], ['-', ROLE_IGNORE], ['_', ROLE_IGNORE], ['skip', ROLE_IGNORE], ['ignore', ROLE_IGNORE],
]);

/** The role a column name stands for, or -1 if the name is not known. Case-insensitive. */
export function roleOf(name: string): Role | -1 {
  return ALIASES.get(name.trim().toLowerCase()) ?? -1;
}

/**
 * Roles for a header row: unknown names are ignored, but the row only counts as a header when it
 * names both a source and a target column (so a data row such as `alice bob` is never taken for
 * one). Returns null when it is not a header.
 */
export function headerRoles(names: readonly string[]): Role[] | null {
  const roles = names.map((n) => {
    const r = roleOf(n);
    return r === -1 ? ROLE_IGNORE : r;
  });
  if (!roles.includes(ROLE_SOURCE) || !roles.includes(ROLE_TARGET)) return null;
  return dedupe(roles, names, 'header');
}

/** Roles from the `columns` option: every name must be known. */
export function optionRoles(names: readonly string[]): Role[] {
  const roles = names.map((n) => {
    const r = roleOf(n);
    if (r === -1) {
      throw new SupernodeError('INPUT_BAD_HEADER',
        `columns option: unknown column "${n}" (known: source/src/from/node_1/u, target/dst/to/node_2/v, weight/w/count, timestamp/ts/time, type/kind, or - to skip)`);
    }
    return r;
  });
  if (!roles.includes(ROLE_SOURCE) || !roles.includes(ROLE_TARGET)) {
    throw new SupernodeError('INPUT_BAD_HEADER', `columns option "${names.join(',')}" must name a source and a target column`);
  }
  return dedupe(roles, names, 'columns option');
}

/** Headerless files: `source target [weight]`, further columns ignored. */
export function defaultRoles(fieldCount: number): Role[] {
  const roles: Role[] = [];
  for (let k = 0; k < fieldCount; k++) roles.push(k < 3 ? (k as Role) : ROLE_IGNORE);
  return roles;
}

function dedupe(roles: Role[], names: readonly string[], where: string): Role[] {
  const seen = new Set<Role>();
  for (let k = 0; k < roles.length; k++) {
    const r = roles[k]!;
    if (r === ROLE_IGNORE) continue;
    if (seen.has(r)) {
      throw new SupernodeError('INPUT_BAD_HEADER', `${where}: two columns (the second is "${names[k]}") both mean ${ROLE_NAMES[r]}`);
    }
    seen.add(r);
  }
  return roles;
}
