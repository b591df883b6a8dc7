import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArgs, UsageError, usageText, type CommandSpec } from './args.js';

const spec: CommandSpec = {
  name: 'run',
  usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  summary: 'Run',
  stopAtFirstArg: true,
  minArgs: 1,
  flags: [
    { name: 'interactive', short: 'i', type: 'bool', help: 'stdin' },
    { name: 'tty', short: 't', type: 'bool', help: 'tty' },
    { name: 'detach', short: 'd', type: 'bool', help: 'bg' },
    { name: 'env', short: 'e', type: 'list', help: 'env' },
    { name: 'name', type: 'string', help: 'name' },
    { name: 'cpu-shares', short: 'c', type: 'int', help: 'shares' },
  ],
};

test('docker-style flags; parsing stops at the image', () => {
  const p = parseArgs(spec, ['-it', '-e', 'A=1', '-eB=2', '--name=web', '--cpu-shares', '512', 'busybox', 'sh', '-c', 'echo -e x', '--name', 'y']);
  assert.deepEqual(p.flags, { interactive: true, tty: true, env: ['A=1', 'B=2'], name: 'web', 'cpu-shares': 512 });
  assert.deepEqual(p.args, ['busybox', 'sh', '-c', 'echo -e x', '--name', 'y']);
  assert.deepEqual(parseArgs(spec, ['-d=false', '--', '-img']).args, ['-img']);
  assert.equal(parseArgs(spec, ['--detach=true', 'x']).flags.detach, true);
  assert.equal(parseArgs(spec, ['--help']).help, true);
});

test('bad flags are usage errors', () => {
  assert.throws(() => parseArgs(spec, ['--nope', 'x']), (e) => e instanceof UsageError && /unknown flag: --nope/.test(e.message));
  assert.throws(() => parseArgs(spec, ['-z', 'x']), /unknown shorthand flag: 'z'/);
  assert.throws(() => parseArgs(spec, ['--name']), /flag needs an argument: --name/);
  assert.throws(() => parseArgs(spec, ['-c', 'many', 'x']), /not an integer/);
  assert.throws(() => parseArgs(spec, []), /requires at least 1 argument/);
});

test('usage text lists every flag', () => {
  const text = usageText(spec);
  assert.match(text, /^Usage:  berth run \[OPTIONS\] IMAGE/);
  assert.match(text, /-e, --env list\s+env/);
  assert.match(text, /--name string\s+name/);
});
