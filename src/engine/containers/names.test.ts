import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isBerthError } from '../../base/errors.js';
import { generateName, newId, validateName } from './names.js';
import { parseSignal } from './signals.js';
import { Backoff, shouldRestart, validateRestartPolicy } from './restart-policy.js';

test('ids are 64 hex chars and names follow Docker rules', () => {
  assert.match(newId(), /^[0-9a-f]{64}$/);
  assert.equal(validateName('/web-1'), 'web-1');
  assert.throws(() => validateName('a'), (e) => isBerthError(e, 'InvalidArgument'));
  assert.throws(() => validateName('no spaces'), (e) => isBerthError(e, 'InvalidArgument'));
  const taken = new Set<string>();
  for (let i = 0; i < 50; i++) {
    const n = generateName((x) => taken.has(x));
    assert.match(n, /^[a-z]+_[a-z]+\d?$/);
    assert.ok(!taken.has(n));
    taken.add(n);
  }
});

test('signals by name or number', () => {
  assert.equal(parseSignal('KILL'), 9);
  assert.equal(parseSignal('sigterm'), 15);
  assert.equal(parseSignal('10'), 10);
  assert.equal(parseSignal(undefined), 9);
  assert.equal(parseSignal('', 'SIGTERM'), 15);
  assert.throws(() => parseSignal('NOPE'), (e) => isBerthError(e, 'InvalidArgument'));
  assert.throws(() => parseSignal('99'), (e) => isBerthError(e, 'InvalidArgument'));
});

test('restart policies decide like Docker', () => {
  const onFail2 = validateRestartPolicy({ name: 'on-failure', maximumRetryCount: 2 });
  assert.equal(shouldRestart(onFail2, 1, 0, false), true);
  assert.equal(shouldRestart(onFail2, 1, 2, false), false);
  assert.equal(shouldRestart(onFail2, 0, 0, false), false);
  assert.equal(shouldRestart({ name: 'always' }, 0, 99, false), true);
  assert.equal(shouldRestart({ name: 'always' }, 0, 0, true), false);
  assert.equal(shouldRestart({ name: 'no' }, 1, 0, false), false);
  assert.throws(() => validateRestartPolicy({ name: 'always', maximumRetryCount: 3 }), (e) => isBerthError(e, 'InvalidArgument'));
  assert.throws(() => validateRestartPolicy({ name: 'on-failure', maximumRetryCount: -1 }), (e) => isBerthError(e, 'InvalidArgument'));
  const b = new Backoff();
  assert.deepEqual([b.next(0), b.next(0), b.next(0)], [100, 200, 400]);
  assert.equal(b.next(10_000), 100, 'reset after 10 s up');
});
