/**
 * The one place BerthError codes become metav1.Status (the table agreed in
 * src/orchestrator/apiserver/types.ts). kubectl prints `Error from server (<reason>): <message>`,
 * and clients branch on the reason (NotFound drives apply → create, AlreadyExists, Conflict…).
 * A BerthError may override the mapping:
 *  - details.status: a complete metav1.Status, sent as is (its `code` is the HTTP status);
 *  - details.reason: a metav1 reason from REASON_CODES (e.g. TooManyRequests, UnsupportedMediaType);
 *  - details.causes / name / group / kind / uid / retryAfterSeconds: copied into Status.details.
 */
import { asBerthError, type BerthError, type ErrorCode } from '../../base/errors.js';

export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: Record<string, unknown>;
  code: number;
}

/** metav1 StatusReason → HTTP code (k8s.io/apimachinery/pkg/api/errors). */
export const REASON_CODES: Record<string, number> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  Expired: 410,
  RequestEntityTooLarge: 413,
  UnsupportedMediaType: 415,
  Invalid: 422,
  TooManyRequests: 429,
  InternalError: 500,
  ServiceUnavailable: 503,
  Timeout: 504,
};

const BY_CODE: Record<ErrorCode, string> = {
  NotFound: 'NotFound',
  AlreadyExists: 'AlreadyExists',
  Conflict: 'Conflict',
  InvalidArgument: 'BadRequest',
  FailedPrecondition: 'Conflict',
  Unavailable: 'ServiceUnavailable',
  PermissionDenied: 'Forbidden',
  Unauthenticated: 'Unauthorized',
  ResourceExhausted: 'RequestEntityTooLarge',
  NotImplemented: 'MethodNotAllowed',
  Gone: 'Expired',
  Internal: 'InternalError',
};

const DETAIL_KEYS = ['name', 'group', 'kind', 'uid', 'causes', 'retryAfterSeconds'] as const;

function reasonFor(e: BerthError): string {
  const override = e.details?.reason;
  if (typeof override === 'string' && override in REASON_CODES) return override;
  const hasCauses = Array.isArray(e.details?.causes) && (e.details!.causes as unknown[]).length > 0;
  // Validation failures with field causes are 422 Invalid, as kube answers them.
  if (hasCauses && (e.code === 'InvalidArgument' || e.code === 'FailedPrecondition')) return 'Invalid';
  return BY_CODE[e.code];
}

function isStatusLike(v: unknown): v is Partial<KubeStatus> & { code: number } {
  return typeof v === 'object' && v !== null && Number.isInteger((v as { code?: unknown }).code)
    && (v as { code: number }).code >= 400 && (v as { code: number }).code <= 599;
}

export function statusFromError(err: unknown): KubeStatus {
  const e = asBerthError(err);
  const given = e.details?.status;
  if (isStatusLike(given)) {
    return {
      ...given,
      kind: 'Status',
      apiVersion: 'v1',
      metadata: given.metadata ?? {},
      status: 'Failure',
      message: given.message ?? e.message,
      reason: given.reason ?? reasonFor(e),
      code: given.code,
    };
  }
  const reason = reasonFor(e);
  const details: Record<string, unknown> = {};
  for (const k of DETAIL_KEYS) if (e.details?.[k] !== undefined) details[k] = e.details[k];
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: e.message,
    reason,
    ...(Object.keys(details).length > 0 ? { details } : {}),
    code: REASON_CODES[reason] ?? 500,
  };
}

