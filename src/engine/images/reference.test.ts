import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { familiarName, familiarRepository, looksLikeId, normalizeReference, parseReference } from './reference.js';

describe('image references', () => {
  const digest = 'sha256:' + 'ab'.repeat(32);
  it('normalizes the Docker way', () => {
    const cases: Array<[string, string]> = [
      ['busybox', 'docker.io/library/busybox:latest'],
      ['busybox:1.36', 'docker.io/library/busybox:1.36'],
      ['library/busybox', 'docker.io/library/busybox:latest'],
      ['docker.io/busybox', 'docker.io/library/busybox:latest'],
      ['index.docker.io/library/busybox:1', 'docker.io/library/busybox:1'],
      ['user/app', 'docker.io/user/app:latest'],
      ['localhost/x', 'localhost/x:latest'],
      ['localhost:5000/x', 'localhost:5000/x:latest'],
      ['example.com/a/b:1', 'example.com/a/b:1'],
      ['example.com:443/a/b', 'example.com:443/a/b:latest'],
      ['127.0.0.1:5000/a', '127.0.0.1:5000/a:latest'],
      [`busybox@${digest}`, `docker.io/library/busybox@${digest}`],
      [`busybox:1@${digest}`, `docker.io/library/busybox:1@${digest}`],
      ['a.b-c/d__e/f-g', 'a.b-c/d__e/f-g:latest'],
    ];
    for (const [input, want] of cases) assert.equal(normalizeReference(input), want, input);
  });

  it('gives familiar names back', () => {
    assert.equal(familiarName('docker.io/library/busybox:latest'), 'busybox:latest');
    assert.equal(familiarName('docker.io/user/app:1'), 'user/app:1');
    assert.equal(familiarName('localhost:5000/x:latest'), 'localhost:5000/x:latest');
    assert.equal(familiarName(`busybox@${digest}`), `busybox@${digest}`);
    assert.equal(familiarRepository('docker.io/library/busybox:1'), 'busybox');
    assert.equal(familiarRepository('example.com/a/b:2'), 'example.com/a/b');
  });

  it('parses into parts', () => {
    assert.deepEqual(parseReference('localhost:5000/ns/x:tag'), { domain: 'localhost:5000', path: 'ns/x', tag: 'tag' });
    assert.deepEqual(parseReference(`x@${digest}`), { domain: 'docker.io', path: 'library/x', digest });
  });

  it('refuses malformed references with InvalidArgument', () => {
    for (const bad of ['', 'Busybox', 'busybox:', 'busybox:-x', 'a//b', 'a/../b', 'a_b.c/x', '-a', 'ab'.repeat(32), 'x@sha256:123', ':tag', 'a b', 'a:b:c', 'x'.repeat(600)]) {
      assert.throws(() => parseReference(bad), (err: Error & { code?: string }) => err.code === 'InvalidArgument' || err.code === 'NotImplemented', bad);
    }
    assert.throws(() => parseReference('x@md5:abcd'), { code: 'NotImplemented' });
  });

  it('recognizes ids and id prefixes', () => {
    assert.ok(looksLikeId('abc123'));
    assert.ok(looksLikeId('sha256:abc'));
    assert.ok(!looksLikeId('busybox'));
    assert.ok(!looksLikeId('a'.repeat(65)));
  });
});
