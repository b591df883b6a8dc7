import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type http from 'node:http';
import { test } from 'node:test';
import { isBerthError } from '../../base/errors.js';
import { decodeObject, decodePatch, jsonDepth, MAX_BODY_DEPTH, mediaType, readBody } from './body.js';

const reason = (r: string) => (e: unknown) => isBerthError(e) && e.details?.reason === r;
const bad = (e: unknown) => isBerthError(e, 'InvalidArgument') && e.details?.reason === undefined;

function fakeReq(chunks: Buffer[], headers: Record<string, string> = {}): http.IncomingMessage {
  const s = new PassThrough() as unknown as http.IncomingMessage;
  (s as unknown as { headers: Record<string, string> }).headers = headers;
  queueMicrotask(() => {
    for (const c of chunks) (s as unknown as PassThrough).write(c);
    (s as unknown as PassThrough).end();
  });
  return s;
}

test('readBody: whole bodies, and 413 from Content-Length or from the bytes themselves', async () => {
  assert.equal((await readBody(fakeReq([Buffer.from('ab'), Buffer.from('cd')]), 10)).toString(), 'abcd');
  await assert.rejects(readBody(fakeReq([], { 'content-length': '11' }), 10), reason('RequestEntityTooLarge'));
  await assert.rejects(readBody(fakeReq([Buffer.alloc(6), Buffer.alloc(6)]), 10), reason('RequestEntityTooLarge'));
});

test('decodeObject: JSON, YAML, no content type; errors are 400 or 415', () => {
  assert.deepEqual(decodeObject(Buffer.from('{"a":1}'), 'application/json; charset=utf-8'), { a: 1 });
  assert.deepEqual(decodeObject(Buffer.from('a: 1\nb: [x]\n'), 'application/yaml'), { a: 1, b: ['x'] });
  assert.deepEqual(decodeObject(Buffer.from('{"a":1}'), undefined), { a: 1 });
  assert.throws(() => decodeObject(Buffer.from('{"a":'), 'application/json'), bad);
  assert.throws(() => decodeObject(Buffer.from('[1]'), 'application/json'), bad);
  assert.throws(() => decodeObject(Buffer.from('null'), 'application/json'), bad);
  assert.throws(() => decodeObject(Buffer.from('a: [\n'), 'application/yaml'), bad);
  assert.throws(() => decodeObject(Buffer.from('a: 1\n---\nb: 2\n'), 'application/yaml'), bad);
  assert.throws(() => decodeObject(Buffer.from([0xff, 0xfe, 0x7b]), 'application/json'), bad);
  assert.throws(() => decodeObject(Buffer.from('x'), 'text/html'), reason('UnsupportedMediaType'));
  assert.throws(() => decodeObject(Buffer.from('not protobuf'), 'application/vnd.kubernetes.protobuf'), (e) => isBerthError(e, 'InvalidArgument'));
  // Alias bombs are refused by the YAML parser's alias limit, not expanded.
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`)].join('\n');
  assert.throws(() => decodeObject(Buffer.from(bomb), 'application/yaml'), bad);
});

test('bodies nested deeper than the limit are refused without recursion', () => {
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
  assert.equal(jsonDepth(JSON.parse(deep(5000))), 5000);
  assert.throws(() => decodeObject(Buffer.from(`{"a":${deep(MAX_BODY_DEPTH)}}`), 'application/json'), bad);
  assert.deepEqual(decodeObject(Buffer.from(`{"a":${deep(10)}}`), 'application/json'), { a: JSON.parse(deep(10)) });
  assert.throws(() => decodePatch(Buffer.from(`{"a":${deep(100_000)}}`), 'application/merge-patch+json'), bad);
  assert.throws(() => decodePatch(Buffer.from(`[${deep(2000)}]`), 'application/json-patch+json'), bad);
});

test('decodePatch: the four patch types pass as text; CBOR apply and others are 415', () => {
  for (const t of ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml']) {
    assert.deepEqual(decodePatch(Buffer.from('{"x":1}'), `${t}; charset=utf-8`), { text: '{"x":1}', contentType: t });
  }
  assert.throws(() => decodePatch(Buffer.from('x'), 'application/apply-patch+cbor'), reason('UnsupportedMediaType'));
  assert.throws(() => decodePatch(Buffer.from('x'), 'application/json'), reason('UnsupportedMediaType'));
  assert.throws(() => decodePatch(Buffer.from(''), 'application/merge-patch+json'), bad);
  assert.throws(() => decodePatch(Buffer.from('{"a":'), 'application/merge-patch+json'), bad);
  assert.deepEqual(decodePatch(Buffer.from('kind: ConfigMap\nmetadata: {name: x}\n'), 'application/apply-patch+yaml').contentType, 'application/apply-patch+yaml');
  assert.throws(() => decodePatch(Buffer.from('kind: [\n'), 'application/apply-patch+yaml'), bad);
  assert.equal(mediaType(' Application/JSON ; charset=utf-8'), 'application/json');
});
