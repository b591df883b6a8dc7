/**
 * User impersonation (`kubectl --as=NAME --as-group=G --as-uid=U`): the Impersonate-User,
 * Impersonate-Group and Impersonate-Uid headers make the request act as another user. Until RBAC
 * exists (when kube's "impersonate" verb decides), only members of system:masters may impersonate;
 * anyone else asking gets 403 Forbidden, as kube answers a user without that permission.
 */
import type http from 'node:http';
import { BerthError } from '../../base/errors.js';
import type { UserInfo } from '../../orchestrator/apiserver/types.js';

const MASTERS = 'system:masters';

function headerList(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter(Boolean);
}

/** The user the request acts as: `user` itself, or the impersonated one. */
export function impersonate(req: http.IncomingMessage, user: UserInfo): UserInfo {
  const names = headerList(req.headers['impersonate-user']);
  const groups = headerList(req.headers['impersonate-group']);
  const uids = headerList(req.headers['impersonate-uid']);
  if (names.length === 0) {
    if (groups.length > 0 || uids.length > 0) {
      throw new BerthError('InvalidArgument', 'requested impersonation of groups or a uid without impersonating a user');
    }
    return user;
  }
  if (names.length > 1 || uids.length > 1) throw new BerthError('InvalidArgument', 'only one user and one uid can be impersonated');
  if (!user.groups.includes(MASTERS)) {
    throw new BerthError('PermissionDenied', `users "${names[0]}" is forbidden: User "${user.name}" cannot impersonate resource "users" in API group "" at the cluster scope`);
  }
  const out = [...new Set(groups)];
  if (names[0] !== 'system:anonymous' && !out.includes('system:authenticated')) out.push('system:authenticated');
  return { name: names[0]!, groups: out, ...(uids[0] ? { uid: uids[0] } : {}) };
}
