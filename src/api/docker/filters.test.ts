import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONTAINER_FILTERS, containerMatches, parseFilters } from './filters.js';
import type { ContainerView } from './domain.js';

const c = (name: string, status: string, labels: Record<string, string> = {}, exitCode = 0, created = '2024-01-01T00:00:00Z') =>
  ({ id: `${name}`.padEnd(64, '0'), name, created, image: 'busybox', imageId: 'sha256:abc', config: { labels }, state: { status, exitCode } }) as unknown as ContainerView;

test('parses both filter encodings and rejects unknown keys', () => {
  assert.deepEqual([...parseFilters('{"status":{"running":true,"exited":false}}', CONTAINER_FILTERS)], [['status', ['running']]]);
  assert.deepEqual([...parseFilters('{"label":["a=b"]}', CONTAINER_FILTERS)], [['label', ['a=b']]]);
  assert.throws(() => parseFilters('{"color":["red"]}', CONTAINER_FILTERS), /invalid filter "color"/);
  assert.throws(() => parseFilters('{nope', CONTAINER_FILTERS), /not JSON/);
});

test('matches status, name, label, exited, ancestor, since', () => {
  const all = [c('aaa', 'running', { app: 'web' }), c('bbb', 'exited', {}, 3, '2024-01-02T00:00:00Z')];
  const pick = (raw: string) => all.filter((x) => containerMatches(x, parseFilters(raw, CONTAINER_FILTERS), all)).map((x) => x.name);
  assert.deepEqual(pick('{"status":["exited"]}'), ['bbb']);
  assert.deepEqual(pick('{"name":["aa"]}'), ['aaa']);
  assert.deepEqual(pick('{"label":["app=web"]}'), ['aaa']);
  assert.deepEqual(pick('{"label":["app"]}'), ['aaa']);
  assert.deepEqual(pick('{"exited":["3"]}'), ['bbb']);
  assert.deepEqual(pick('{"ancestor":["busybox"]}'), ['aaa', 'bbb']);
  assert.deepEqual(pick('{"since":["aaa"]}'), ['bbb']);
  assert.throws(() => pick('{"status":["sleeping"]}'), /invalid filter 'status=sleeping'/);
});
