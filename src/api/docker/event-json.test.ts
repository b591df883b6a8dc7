import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventMatches, eventMessage, parseEventTime } from './event-json.js';
import { parseFilters } from './filters.js';

const f = (obj: Record<string, string[]>) => parseFilters(JSON.stringify(obj), ['container', 'image', 'event', 'type', 'label', 'network', 'volume']);
const die = eventMessage('container', 'die', 'abcdef0123', { name: 'web', image: 'busybox:latest', exitCode: '3', tier: 'front' }, 1_700_000_000_123_456_789n);
const tag = eventMessage('image', 'tag', 'sha256:feed', { name: 'app:1' }, 1_700_000_000_000_000_000n);
const connect = eventMessage('network', 'connect', 'net0123', { name: 'backend', container: 'abcdef0123', type: 'bridge' }, 1n);

test('messages carry Docker legacy fields for containers and images only', () => {
  assert.deepEqual([die.status, die.id, die.from, die.time, die.timeNano], ['die', 'abcdef0123', 'busybox:latest', 1_700_000_000, 1_700_000_000_123_456_789]);
  assert.equal(tag.from, undefined);
  assert.equal('status' in connect, false);
});

test('filters: container by name or id prefix, image with or without tag, labels, types, actions', () => {
  assert.ok(eventMatches(die, f({ container: ['web'] })));
  assert.ok(eventMatches(die, f({ container: ['abc'] })));
  assert.ok(!eventMatches(die, f({ container: ['db'] })));
  assert.ok(!eventMatches(connect, f({ container: ['web'] })), 'a container filter excludes other event types, as in moby');
  assert.ok(eventMatches(die, f({ image: ['busybox'] })));
  assert.ok(eventMatches(tag, f({ image: ['app:1'] })));
  assert.ok(!eventMatches(tag, f({ image: ['app:2'] })));
  assert.ok(eventMatches(die, f({ label: ['tier=front'] })));
  assert.ok(!eventMatches(die, f({ label: ['tier=back'] })));
  assert.ok(eventMatches(connect, f({ type: ['network'], network: ['backend'] })));
  assert.ok(eventMatches(die, f({ event: ['die', 'start'] })));
  assert.ok(!eventMatches(die, f({ event: ['start'] })));
});

test('since/until accept unix seconds with fractions and RFC 3339, and refuse anything else', () => {
  assert.equal(parseEventTime('1700000000.5', 'since'), 1_700_000_000_500_000_000n);
  assert.equal(parseEventTime('2023-11-14T22:13:20Z', 'since'), 1_700_000_000_000_000_000n);
  assert.equal(parseEventTime(null, 'since'), undefined);
  assert.throws(() => parseEventTime('yesterday', 'until'), /invalid until value "yesterday"/);
});
