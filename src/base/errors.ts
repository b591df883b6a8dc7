/**
 * The one closed set of error codes used everywhere in berth (containerd's model).
 * Expected failures carry one of these codes and a message that names the object,
 * e.g. `image "busybox:1" not found`. Each API edge maps codes to its wire format once
 * (Docker HTTP status, Kubernetes Status reason, OCI distribution error code).
 */
export const ErrorCodes = [
  'NotFound', // the named object does not exist
  'AlreadyExists', // creating something whose name/key is taken
  'InvalidArgument', // the request itself is malformed or names impossible values
  'FailedPrecondition', // valid request, but the object's state forbids it (e.g. remove a running container)
  'Conflict', // optimistic-concurrency / in-use conflicts
  'Unavailable', // a dependency (runtime, datastore) cannot be reached right now
  'PermissionDenied', // authenticated but not allowed
  'Unauthenticated', // no valid credentials
  'ResourceExhausted', // limits: oversized bodies, quotas, ports in use
  'NotImplemented', // berth does not offer this (yet); never a silent success
  'Gone', // the requested revision/resource version has been compacted
  'Internal', // a bug or an unexpected system failure
] as const;

export type ErrorCode = (typeof ErrorCodes)[number];

export class BerthError extends Error {
  readonly code: ErrorCode;
  /** Optional structured details (e.g. Kubernetes field causes); never required to understand the message. */
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'BerthError';
    this.code = code;
    if (options?.details) this.details = options.details;
  }
}

export const notFound = (message: string) => new BerthError('NotFound', message);
export const alreadyExists = (message: string) => new BerthError('AlreadyExists', message);
export const invalidArgument = (message: string) => new BerthError('InvalidArgument', message);
export const failedPrecondition = (message: string) => new BerthError('FailedPrecondition', message);
export const conflict = (message: string) => new BerthError('Conflict', message);
export const unavailable = (message: string, cause?: unknown) => new BerthError('Unavailable', message, { cause });
export const notImplemented = (message: string) => new BerthError('NotImplemented', message);
export const resourceExhausted = (message: string) => new BerthError('ResourceExhausted', message);
export const internal = (message: string, cause?: unknown) => new BerthError('Internal', message, { cause });

export function isBerthError(err: unknown, code?: ErrorCode): err is BerthError {
  return err instanceof BerthError && (code === undefined || err.code === code);
}

/** Turns anything thrown into a BerthError; unknown failures become Internal with the original as cause. */
export function asBerthError(err: unknown): BerthError {
  if (err instanceof BerthError) return err;
  const e = err as NodeJS.ErrnoException | undefined;
  if (e && typeof e === 'object' && typeof e.code === 'string') {
    if (e.code === 'ENOENT') return new BerthError('NotFound', e.message, { cause: err });
    if (e.code === 'EEXIST') return new BerthError('AlreadyExists', e.message, { cause: err });
    if (e.code === 'EACCES' || e.code === 'EPERM') return new BerthError('PermissionDenied', e.message, { cause: err });
    if (e.code === 'ENOSPC') return new BerthError('ResourceExhausted', e.message, { cause: err });
  }
  return new BerthError('Internal', err instanceof Error ? err.message : String(err), { cause: err });
}
