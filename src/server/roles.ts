/**
 * Who may do what. A token (or the one-time-login session) carries one role; each route names the one
 * permission it needs. Least privilege: a gateway token can ask decisions and record executions, and
 * read back decisions (by id), nothing else; a viewer cannot change anything; only an admin manages
 * tokens (and may do everything, since it could mint itself any other role anyway).
 */
export const ROLES = ['viewer', 'officer', 'gateway', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = ['read', 'edit', 'decide', 'execute', 'decisions:read', 'tokens'] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  viewer: ['read', 'decisions:read'],
  officer: ['read', 'decisions:read', 'edit'],
  gateway: ['decide', 'execute', 'decisions:read'],
  admin: PERMISSIONS,
};

export function allows(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

/** The roles that hold a permission (for OpenAPI and for "needs one of" in a 403). */
export function rolesWith(permission: Permission): Role[] {
  return ROLES.filter((r) => allows(r, permission));
}
