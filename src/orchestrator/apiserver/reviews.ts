/**
 * Virtual "review" resources that answer and store nothing: SelfSubjectReview (auth whoami echoes
 * the authenticated user), and the access reviews, which allow everything until RBAC exists.
 */
import type { UserInfo } from './types.js';
import { isPlainObject } from './object-meta.js';
import { kubeMethodNotAllowed } from './kube-errors.js';

export function answerReview(kind: string, apiVersion: string, body: unknown, user: UserInfo): object {
  const input = isPlainObject(body) ? body : {};
  const metadata = { ...(isPlainObject(input.metadata) ? input.metadata : {}), creationTimestamp: null };
  const userInfo = { username: user.name, groups: user.groups, ...(user.uid ? { uid: user.uid } : {}) };
  switch (kind) {
    case 'SelfSubjectReview':
      return { kind, apiVersion, metadata, status: { userInfo } };
    case 'SelfSubjectAccessReview':
    case 'SubjectAccessReview':
    case 'LocalSubjectAccessReview':
      return { kind, apiVersion, metadata, spec: input.spec ?? {}, status: { allowed: true, reason: 'berth: every authenticated user is an administrator until RBAC is enforced' } };
    case 'SelfSubjectRulesReview':
      return {
        kind,
        apiVersion,
        metadata,
        spec: input.spec ?? {},
        status: { resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }], incomplete: false },
      };
    default:
      throw kubeMethodNotAllowed(`${kind} is not supported by this server`);
  }
}
