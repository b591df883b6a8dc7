import assert from 'node:assert/strict';
import { test } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { K8sLogParser, followK8sLog, parseK8sLine, readK8sLogWith } from './k8s-log.js';

test('parses a k8s-file record', () => {
  assert.deepEqual(parseK8sLine('2024-01-02T03:04:05.123456789+00:00 stderr F hello world'), {
    time: '2024-01-02T03:04:05.123456789+00:00', stream: 'stderr', partial: false, text: 'hello world',
  });
  assert.deepEqual(parseK8sLine('2024-01-02T03:04:05.1+00:00 stdout F '), { time: '2024-01-02T03:04:05.1+00:00', stream: 'stdout', partial: false, text: '' });
  assert.deepEqual(parseK8sLine('2024-01-02T03:04:05.1+00:00 stdout F'), { time: '2024-01-02T03:04:05.1+00:00', stream: 'stdout', partial: false, text: '' });
  assert.equal(parseK8sLine('garbage'), null);
  assert.equal(parseK8sLine('2024 stdin F x'), null);
});

test('joins partial records per stream and keeps streams apart', () => {
  const p = new K8sLogParser();
  const got = p.feed([
    '2024-01-02T03:04:05.000000001+00:00 stdout P abc',
    '2024-01-02T03:04:05.000000002+00:00 stderr F err line',
    '2024-01-02T03:04:05.000000003+00:00 stdout F def',
    '2024-01-02T03:04:05.000000004+00:00 stdout P tail-without-newline',
    '',
  ].join('\n'));
  assert.deepEqual(got.map((e) => [e.stream, e.data.toString(), e.time]), [
    ['stderr', 'err line\n', '2024-01-02T03:04:05.000000002+00:00'],
    ['stdout', 'abcdef\n', '2024-01-02T03:04:05.000000001+00:00'],
  ]);
  assert.deepEqual(p.flush().map((e) => e.data.toString()), ['tail-without-newline']);
});

test('records split across feeds are completed by the next feed', () => {
  const p = new K8sLogParser();
  assert.deepEqual(p.feed('2024-01-02T03:04:05.1+00:00 stdout F he'), []);
  assert.deepEqual(p.feed('llo\n').map((e) => e.data.toString()), ['hello\n']);
});

test('a line still partial when following starts is returned once, complete', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8slog-'));
  const file = path.join(dir, 'log');
  fs.writeFileSync(file, '2024-01-02T03:04:05.1+00:00 stdout F first\n2024-01-02T03:04:05.2+00:00 stdout P sec');
  const parser = new K8sLogParser();
  const { entries, offset } = readK8sLogWith(parser, file);
  assert.deepEqual(entries.map((e) => e.data.toString()), ['first\n']);
  fs.writeFileSync(file, '2024-01-02T03:04:05.1+00:00 stdout F first\n2024-01-02T03:04:05.2+00:00 stdout P sec\n2024-01-02T03:04:05.3+00:00 stdout F ond\n');
  const rest: string[] = [];
  for await (const e of followK8sLog(file, offset, () => true, parser)) rest.push(e.data.toString());
  assert.deepEqual(rest, ['second\n']);
  fs.rmSync(dir, { recursive: true, force: true });
});
