import assert from 'node:assert/strict';
import { test } from 'node:test';
import { networkListFilter, networkPruneFilter, untilCutoff } from './network-filters.js';

const net = (name: string, extra: Partial<{ driver: string; labels: Record<string, string>; isDefault: boolean; created: string; users: number }> = {}) => ({
  id: `${name.padEnd(8, '0')}`.replace(/[^0-9a-f]/g, 'a') + 'f'.repeat(56),
  name,
  driver: extra.driver ?? 'bridge',
  labels: extra.labels ?? {},
  isDefault: extra.isDefault ?? false,
  created: extra.created ?? '2024-01-01T00:00:00Z',
  containers: Object.fromEntries(Array.from({ length: extra.users ?? 0 }, (_, i) => [`c${i}`, {} as never])),
});

const all = [
  net('bridge', { isDefault: true, users: 1 }),
  net('host', { driver: 'host' }),
  net('none', { driver: 'null' }),
  net('front', { labels: { tier: 'web' }, users: 2 }),
  net('spare', { labels: { tier: 'tmp', keep: '' } }),
];
const names = (raw: string) => all.filter(networkListFilter(raw)).map((n) => n.name);

test('list filters: name, driver, type, label, scope, dangling', () => {
  assert.deepEqual(names(''), ['bridge', 'host', 'none', 'front', 'spare']);
  assert.deepEqual(names('{"name":{"ar":true}}'), ['spare']);
  assert.deepEqual(names('{"driver":["host","null"]}'), ['host', 'none']);
  assert.deepEqual(names('{"type":{"custom":true}}'), ['front', 'spare']);
  assert.deepEqual(names('{"type":{"builtin":true}}'), ['bridge', 'host', 'none']);
  assert.deepEqual(names('{"label":{"tier":true}}'), ['front', 'spare']);
  assert.deepEqual(names('{"label":{"tier=tmp":true,"keep":true}}'), ['spare']);
  assert.deepEqual(names('{"scope":{"local":true}}').length, 5);
  assert.deepEqual(names('{"scope":{"swarm":true}}'), []);
  assert.deepEqual(names('{"dangling":{"true":true}}'), ['spare']);
  assert.deepEqual(names('{"dangling":{"0":true}}'), ['bridge', 'host', 'none', 'front']);
});

test('bad list filters are refused by name', () => {
  assert.throws(() => networkListFilter('{"dangling":{"maybe":true}}'), /invalid filter 'dangling=maybe'/);
  assert.throws(() => networkListFilter('{"type":{"other":true}}'), /invalid filter 'type=other'/);
  assert.throws(() => networkListFilter('{"scope":{"planet":true}}'), /invalid filter 'scope=planet'/);
  assert.throws(() => networkListFilter('{"until":{"1h":true}}'), /invalid filter "until"/);
  assert.throws(() => networkListFilter('not json'), /not JSON/);
});

test('prune filters: until (time or duration), label, label!', () => {
  const now = Date.parse('2024-01-02T00:00:00Z');
  const old = net('old', { created: '2024-01-01T00:00:00Z', labels: { keep: 'yes' } });
  const fresh = net('fresh', { created: '2024-01-01T23:30:00Z' });
  const pick = (raw: string) => [old, fresh].filter(networkPruneFilter(raw, now)).map((n) => n.name);
  assert.deepEqual(pick(''), ['old', 'fresh']);
  assert.deepEqual(pick('{"until":{"1h":true}}'), ['old']);
  assert.deepEqual(pick('{"until":{"2024-01-01T12:00:00Z":true}}'), ['old']);
  assert.deepEqual(pick(`{"until":{"${Date.parse('2024-01-01T23:45:00Z') / 1000}":true}}`), ['old', 'fresh']);
  assert.deepEqual(pick('{"label!":{"keep":true}}'), ['fresh']);
  assert.deepEqual(pick('{"label":{"keep=yes":true}}'), ['old']);
  assert.throws(() => networkPruneFilter('{"until":{"yesterday":true}}'), /invalid filter 'until=yesterday'/);
  assert.throws(() => networkPruneFilter('{"driver":{"bridge":true}}'), /invalid filter "driver"/);
  assert.equal(untilCutoff('1h30m', 10_000_000), 10_000_000 - 5_400_000);
});
