import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bytesSize, ellipsis, formatList, humanSize, parseBytes, renderTemplate, table } from './output.js';
import { startFailureExit } from './streams.js';

test('tables pad like docker\'s tabwriter', () => {
  assert.equal(table(['A', 'LONGER HEADER'], [['x', 'y']]), 'A         LONGER HEADER\nx         y\n');
});

test('sizes', () => {
  assert.deepEqual([0, 999, 1000, 4_260_000, 1_980_000].map(humanSize), ['0B', '999B', '1kB', '4.26MB', '1.98MB']);
  assert.deepEqual([512, 1536, 64 * 1024 * 1024].map(bytesSize), ['512B', '1.5KiB', '64MiB']);
  assert.deepEqual(['64m', '1g', '512k', '100', '1.5g'].map((s) => parseBytes(s, '--memory')), [67108864, 1073741824, 524288, 100, 1610612736]);
  assert.throws(() => parseBytes('lots', '--memory'), /invalid size "lots" for --memory/);
});

test('template subset', () => {
  const data = { State: { Status: 'running', Pid: 4 }, Config: { Labels: { 'a.b': 'c' }, Cmd: ['sh', '-c'] }, Name: '/web' };
  assert.equal(renderTemplate('{{.State.Status}} {{ .State.Pid }}', data), 'running 4');
  assert.equal(renderTemplate('{{json .Config.Cmd}}', data), '["sh","-c"]');
  assert.equal(renderTemplate('{{index .Config.Labels "a.b"}}', data), 'c');
  assert.equal(renderTemplate('{{.Config.Cmd}}\\t{{.Missing}}', data), '[sh -c]\t<no value>');
  assert.equal(renderTemplate('{{upper .Name}}', data), '/WEB');
  assert.throws(() => renderTemplate('{{range .X}}', data), /unsupported action/);
});

test('ellipsis and start-failure exit codes', () => {
  assert.equal(ellipsis("sh -c 'echo started; x'", 20), "sh -c 'echo started…");
  assert.equal(startFailureExit('executable file `nosuch` not found in $PATH: No such file or directory'), 127);
  assert.equal(startFailureExit('open executable: Operation not permitted'), 126);
  assert.equal(startFailureExit('image "x" not found'), 125);
});

test('list formats: json lines, table with headers, plain template', () => {
  const rows = [{ ID: 'abc', Names: 'web' }];
  assert.equal(formatList('json', rows, {}), '{"ID":"abc","Names":"web"}\n');
  assert.equal(formatList('table {{.ID}}\\t{{.Names}}', rows, { ID: 'CONTAINER ID' }), 'CONTAINER ID   NAMES\nabc            web\n');
  assert.equal(formatList('{{.Names}}', rows, {}), 'web\n');
});
