import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BerthError } from '../../base/errors.js';
import { statusFromError } from './status.js';

test('every error code maps to a kube reason and HTTP status', () => {
  const cases: Array<[BerthError['code'], number, string]> = [
    ['NotFound', 404, 'NotFound'], ['AlreadyExists', 409, 'AlreadyExists'], ['Conflict', 409, 'Conflict'],
    ['InvalidArgument', 400, 'BadRequest'], ['FailedPrecondition', 409, 'Conflict'], ['Unavailable', 503, 'ServiceUnavailable'],
    ['PermissionDenied', 403, 'Forbidden'], ['Unauthenticated', 401, 'Unauthorized'], ['ResourceExhausted', 413, 'RequestEntityTooLarge'],
    ['NotImplemented', 405, 'MethodNotAllowed'], ['Gone', 410, 'Expired'], ['Internal', 500, 'InternalError'],
  ];
  for (const [code, http, reason] of cases) {
    const s = statusFromError(new BerthError(code, `m ${code}`));
    assert.deepEqual([s.code, s.reason, s.message, s.kind, s.apiVersion, s.status], [http, reason, `m ${code}`, 'Status', 'v1', 'Failure'], code);
  }
  assert.equal(statusFromError(new Error('boom')).code, 500);
  assert.equal(statusFromError('weird').reason, 'InternalError');
});

test('causes make 422 Invalid; details and reason overrides are honoured; a full Status is sent as is', () => {
  const causes = [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' }];
  const inv = statusFromError(new BerthError('InvalidArgument', 'Pod "p" is invalid', { details: { causes, name: 'p', kind: 'Pod', extra: 1 } }));
  assert.equal(inv.code, 422);
  assert.equal(inv.reason, 'Invalid');
  assert.deepEqual(inv.details, { name: 'p', kind: 'Pod', causes });
  const nf = statusFromError(new BerthError('NotFound', 'deployments.apps "x" not found', { details: { name: 'x', group: 'apps', kind: 'deployments' } }));
  assert.deepEqual(nf.details, { name: 'x', group: 'apps', kind: 'deployments' });
  const tmr = statusFromError(new BerthError('FailedPrecondition', 'Cannot evict pod', { details: { reason: 'TooManyRequests' } }));
  assert.deepEqual([tmr.code, tmr.reason], [429, 'TooManyRequests']);
  const full = { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'custom', reason: 'Invalid', code: 422, details: { causes } };
  const s = statusFromError(new BerthError('InvalidArgument', 'x', { details: { status: full } }));
  assert.deepEqual(s, { ...full, metadata: {} });
  // A "status" that is not a Status (no error code) is ignored rather than trusted.
  assert.equal(statusFromError(new BerthError('NotFound', 'x', { details: { status: { code: 200 } } })).code, 404);
});
