import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyChanges } from './commit-json.js';

const base = { Env: ['PATH=/bin', 'A=1'], Cmd: ['sh'], Entrypoint: null, Labels: { x: '1' }, WorkingDir: '/' };

test('CMD and ENTRYPOINT take the exec or the shell form', () => {
  assert.deepEqual(applyChanges(base, ['CMD ["echo", "hi"]']).Cmd, ['echo', 'hi']);
  assert.deepEqual(applyChanges(base, ['CMD echo $HOME']).Cmd, ['/bin/sh', '-c', 'echo $HOME']);
  const ep = applyChanges(base, ['ENTRYPOINT ["/bin/app"]']);
  assert.deepEqual([ep.Entrypoint, ep.Cmd], [['/bin/app'], null]);
});

test('ENV and LABEL accept k=v pairs (quoted) and the legacy "k v" form; ENV replaces a key', () => {
  const c = applyChanges(base, ['ENV A=2 B="two words"', 'ENV C legacy value', 'LABEL "a.b"=c d=e']);
  assert.deepEqual(c.Env, ['PATH=/bin', 'A=2', 'B=two words', 'C=legacy value']);
  assert.deepEqual(c.Labels, { x: '1', 'a.b': 'c', d: 'e' });
});

test('EXPOSE, VOLUME, WORKDIR, USER; unknown or empty instructions are refused', () => {
  const c = applyChanges(base, ['EXPOSE 80 53/udp', 'VOLUME ["/data", "/logs"]', 'WORKDIR app', 'WORKDIR sub', 'USER nobody']);
  assert.deepEqual(c.ExposedPorts, { '80/tcp': {}, '53/udp': {} });
  assert.deepEqual(c.Volumes, { '/data': {}, '/logs': {} });
  assert.equal(c.WorkingDir, '/app/sub');
  assert.equal(c.User, 'nobody');
  assert.throws(() => applyChanges(base, ['RUN make']), /RUN is not a valid change command/);
  assert.throws(() => applyChanges(base, ['EXPOSE http']), /invalid EXPOSE port "http"/);
  assert.throws(() => applyChanges(base, ['USER']), /USER requires at least one argument/);
  assert.deepEqual(base.Env, ['PATH=/bin', 'A=1'], 'the base config is not modified');
});
