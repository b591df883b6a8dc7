/**
 * BerthErrors that carry the exact metav1.Status a kube-apiserver would answer, so kubectl and helm
 * print the same messages and take the same branches (NotFound → create, Conflict → retry, ...).
 * The transport sends details.status as is.
 */
import { BerthError, type ErrorCode } from '../../base/errors.js';

export interface StatusCause { reason: string; message: string; field?: string }

export interface ObjectRef { group: string; plural: string; kind?: string; name?: string; uid?: string }

/** `configmaps` or `deployments.apps`: how kube names a resource in messages. */
export function qualifiedResource(group: string, plural: string): string {
  return group ? `${plural}.${group}` : plural;
}

function statusError(code: ErrorCode, httpCode: number, reason: string, message: string, details?: Record<string, unknown>): BerthError {
  const status: Record<string, unknown> = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code: httpCode };
  if (details) status.details = details;
  return new BerthError(code, message, { details: { status } });
}

function refDetails(ref: ObjectRef): Record<string, unknown> {
  return { ...(ref.name !== undefined ? { name: ref.name } : {}), group: ref.group, kind: ref.plural, ...(ref.uid ? { uid: ref.uid } : {}) };
}

export function kubeNotFound(ref: ObjectRef): BerthError {
  return statusError('NotFound', 404, 'NotFound', `${qualifiedResource(ref.group, ref.plural)} "${ref.name ?? ''}" not found`, refDetails(ref));
}

export function kubeAlreadyExists(ref: ObjectRef): BerthError {
  return statusError('AlreadyExists', 409, 'AlreadyExists', `${qualifiedResource(ref.group, ref.plural)} "${ref.name ?? ''}" already exists`, refDetails(ref));
}

export function kubeConflict(ref: ObjectRef, why = 'the object has been modified; please apply your changes to the latest version and try again'): BerthError {
  return statusError('Conflict', 409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(ref.group, ref.plural)} "${ref.name ?? ''}": ${why}`, refDetails(ref));
}

/** 409 from server-side apply with one cause per conflicting field. */
export function kubeApplyConflict(ref: ObjectRef, conflicts: Array<{ manager: string; field: string }>): BerthError {
  const message = `Apply failed with ${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}: ${conflicts.map((c) => `conflict with "${c.manager}": ${c.field}`).join(', ')}`;
  return statusError('Conflict', 409, 'Conflict', message, {
    ...refDetails(ref),
    causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with "${c.manager}"`, field: c.field })),
  });
}

/** 422 Invalid: `Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be ≥ 0`. */
export function kubeInvalid(kind: string, group: string, name: string, causes: StatusCause[]): BerthError {
  const text = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const summary = text.length === 1 ? text[0] : `[${text.join(', ')}]`;
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  return statusError('InvalidArgument', 422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${summary}`, { name, group, kind, causes });
}

export function kubeBadRequest(message: string): BerthError {
  return statusError('InvalidArgument', 400, 'BadRequest', message);
}

export function kubeForbidden(message: string, ref?: ObjectRef): BerthError {
  return statusError('PermissionDenied', 403, 'Forbidden', message, ref ? refDetails(ref) : undefined);
}

export function kubeGone(message: string): BerthError {
  return statusError('Gone', 410, 'Expired', message);
}

export function kubeMethodNotAllowed(message: string): BerthError {
  return statusError('NotImplemented', 405, 'MethodNotAllowed', message);
}

export function kubeUnsupportedMediaType(message: string): BerthError {
  return statusError('InvalidArgument', 415, 'UnsupportedMediaType', message);
}

export function kubeTooManyRequests(message: string, causes?: StatusCause[]): BerthError {
  return statusError('ResourceExhausted', 429, 'TooManyRequests', message, causes ? { causes } : undefined);
}

export function kubeInternal(message: string, cause?: unknown): BerthError {
  const err = statusError('Internal', 500, 'InternalError', message);
  if (cause !== undefined) (err as { cause?: unknown }).cause = cause;
  return err;
}

/** The Status body of any BerthError (used for watch ERROR events, which carry a Status object). */
export function statusOf(err: BerthError): Record<string, unknown> {
  const s = err.details?.status;
  if (s && typeof s === 'object') return s as Record<string, unknown>;
  const map: Record<string, [number, string]> = {
    NotFound: [404, 'NotFound'], AlreadyExists: [409, 'AlreadyExists'], Conflict: [409, 'Conflict'], InvalidArgument: [400, 'BadRequest'],
    Gone: [410, 'Expired'], PermissionDenied: [403, 'Forbidden'], Unauthenticated: [401, 'Unauthorized'], ResourceExhausted: [413, 'RequestEntityTooLarge'],
    NotImplemented: [405, 'MethodNotAllowed'], FailedPrecondition: [409, 'Conflict'], Unavailable: [503, 'ServiceUnavailable'], Internal: [500, 'InternalError'],
  };
  const [code, reason] = map[err.code] ?? [500, 'InternalError'];
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: err.message, reason, code };
}
