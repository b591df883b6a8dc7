import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isBerthError } from '../../base/errors.js';
import { parseCreateRequest, validateContainerName } from './create-request.js';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (isBerthError(err)) return `${err.code}: ${err.message}`;
    throw err;
  }
  return 'no error';
};

test('maps the docker CLI\'s create body to create options', () => {
  const spec = parseCreateRequest(
    {
      Image: 'busybox',
      Cmd: ['sh', '-c', 'exit 3'],
      Entrypoint: null,
      Env: ['A=1'],
      WorkingDir: '/tmp',
      User: '1000:1000',
      Tty: true,
      OpenStdin: true,
      StdinOnce: true,
      Labels: { a: 'b' },
      HostConfig: {
        Memory: 64 * 1024 * 1024,
        MemorySwap: -1,
        NanoCpus: 1.5e9,
        PidsLimit: 50,
        ReadonlyRootfs: true,
        CapAdd: ['NET_ADMIN'],
        CapDrop: [],
        SecurityOpt: ['no-new-privileges'],
        Ulimits: [{ Name: 'nofile', Soft: 100, Hard: 200 }],
        ShmSize: 0,
        Init: true,
        RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
        AutoRemove: false,
        NetworkMode: 'default',
        PortBindings: {},
        Binds: null,
        Runtime: 'runc',
      },
    },
    'web-1',
  );
  assert.deepEqual(spec, {
    image: 'busybox',
    name: 'web-1',
    cmd: ['sh', '-c', 'exit 3'],
    env: ['A=1'],
    workingDir: '/tmp',
    user: '1000:1000',
    labels: { a: 'b' },
    tty: true,
    openStdin: true,
    stdinOnce: true,
    memory: 64 * 1024 * 1024,
    memorySwap: -1,
    nanoCpus: 1.5e9,
    pidsLimit: 50,
    readOnlyRootfs: true,
    capAdd: ['NET_ADMIN'],
    capDrop: [],
    securityOpt: ['no-new-privileges'],
    ulimits: [{ name: 'nofile', soft: 100, hard: 200 }],
    init: true,
    restartPolicy: { name: 'on-failure', maximumRetryCount: 3 },
    autoRemove: false,
    runtime: 'runc',
  });
});

test('a string Cmd means one argument; "default" network means the daemon default', () => {
  const spec = parseCreateRequest({ Image: 'x', Cmd: 'true', HostConfig: { NetworkMode: 'default' } });
  assert.deepEqual(spec.cmd, ['true']);
  assert.equal(spec.networkMode, undefined);
  assert.equal(parseCreateRequest({ Image: 'x', HostConfig: { NetworkMode: 'none' } }).networkMode, 'none');
});

test('bad input is InvalidArgument naming the field', () => {
  assert.match(code(() => parseCreateRequest(null)), /^InvalidArgument: request body must be a JSON object/);
  assert.match(code(() => parseCreateRequest({})), /^InvalidArgument: Image is required/);
  assert.match(code(() => parseCreateRequest({ Image: 'x', Env: 'A=1' })), /^InvalidArgument: Env must be an array of strings/);
  assert.match(code(() => parseCreateRequest({ Image: 'x', HostConfig: { Memory: 'lots' } })), /HostConfig.Memory must be an integer/);
  assert.match(code(() => parseCreateRequest({ Image: 'x', HostConfig: { Memory: 1024 } })), /minimum memory limit/);
  assert.match(code(() => parseCreateRequest({ Image: 'x', HostConfig: { RestartPolicy: { Name: 'sometimes' } } })), /invalid restart policy "sometimes"/);
  assert.match(code(() => parseCreateRequest({ Image: 'x', HostConfig: { AutoRemove: true, RestartPolicy: { Name: 'always' } } })), /AutoRemove/);
  assert.match(code(() => parseCreateRequest({ Image: 'x', HostConfig: { Runtime: 'kata' } })), /unknown runtime "kata"/);
  assert.match(code(() => parseCreateRequest({ Image: 'x', WorkingDir: 'relative' })), /not an absolute path/);
  assert.match(code(() => parseCreateRequest({ Image: 'x', HostConfig: { Ulimits: [{ Name: 'nofile', Soft: 10, Hard: 5 }] } })), /soft limit 10 is above hard limit 5/);
  assert.match(code(() => parseCreateRequest({ Image: 'x' }, 'bad/name')), /invalid container name "bad\/name"/);
  assert.match(code(() => parseCreateRequest({ Image: 'x', HostConfig: { ConsoleSize: [24] } })), /^InvalidArgument: HostConfig.ConsoleSize must be \[height, width\]/);
});

test('features berth lacks are NotImplemented, never dropped silently', () => {
  assert.match(code(() => parseCreateRequest({ Image: 'x', HostConfig: { Devices: [{ PathOnHost: '/dev/fuse' }] } })), /^NotImplemented: berth does not support devices/);
});

test('container names follow docker\'s rule', () => {
  assert.equal(validateContainerName('/web.1_a-b'), 'web.1_a-b');
  for (const bad of ['', 'a', '-x', '.x', 'a b', 'a/b', '../etc']) assert.throws(() => validateContainerName(bad), /invalid container name/);
});
