import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BerthError, ErrorCodes } from '../../base/errors.js';
import { stripVersion } from './api-version.js';
import { httpStatus } from './http-errors.js';
import { Router } from './router.js';

test('routes by method and pattern; {name*} spans slashes; order decides', () => {
  const r = new Router<string>()
    .add('GET', '/images/json', 'list')
    .add('GET', '/images/{name*}/json', 'inspect')
    .add(['GET', 'HEAD'], '/_ping', 'ping')
    .add('DELETE', '/containers/{id}', 'rm');
  assert.deepEqual(r.match('GET', '/images/json'), { handler: 'list', params: {} });
  assert.deepEqual(r.match('GET', '/images/example.com/a/b:1/json'), { handler: 'inspect', params: { name: 'example.com/a/b:1' } });
  assert.deepEqual(r.match('GET', '/images/busybox%3Alatest/json'), { handler: 'inspect', params: { name: 'busybox:latest' } });
  assert.equal(r.match('HEAD', '/_ping')?.handler, 'ping');
  assert.equal(r.match('POST', '/_ping'), undefined);
  assert.deepEqual(r.match('DELETE', '/containers/abc'), { handler: 'rm', params: { id: 'abc' } });
  assert.equal(r.match('DELETE', '/containers/a/b'), undefined);
});

test('version prefixes are stripped and checked', () => {
  assert.equal(stripVersion('/v1.50/containers/json'), '/containers/json');
  assert.equal(stripVersion('/containers/json'), '/containers/json');
  assert.equal(stripVersion('/v1.24/info'), '/info');
  assert.throws(() => stripVersion('/v1.12/info'), /too old/);
  assert.throws(() => stripVersion('/v1.52/info'), /too new/);
});

test('every error code has one HTTP status', () => {
  const statuses = Object.fromEntries(ErrorCodes.map((c) => [c, httpStatus(new BerthError(c, 'x'))]));
  assert.equal(statuses.NotFound, 404);
  assert.equal(statuses.AlreadyExists, 409);
  assert.equal(statuses.Conflict, 409);
  assert.equal(statuses.FailedPrecondition, 409);
  assert.equal(statuses.InvalidArgument, 400);
  assert.equal(statuses.NotImplemented, 501);
  assert.equal(statuses.ResourceExhausted, 413);
  assert.equal(statuses.Internal, 500);
  for (const s of Object.values(statuses)) assert.ok(s >= 400 && s < 600);
});
