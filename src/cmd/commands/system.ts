/** `berth version` and `berth info`. */
import os from 'node:os';
import { ConnectError } from '../client.js';
import { structuredFormat, str, type Command } from '../command.js';
import { bytesSize, printStructured, renderTemplate } from '../output.js';
import { berthVersion } from '../version.js';

const version: Command = {
  spec: {
    name: 'version',
    usage: '[OPTIONS]',
    summary: 'Show the berth version information',
    maxArgs: 0,
    flags: [
      { name: 'format', short: 'f', type: 'string', help: "Format output: 'json' or a Go template" },
      { name: 'output', short: 'o', type: 'string', help: 'Output format: json or yaml' },
    ],
  },
  async run(p, ctx) {
    const client = { Version: berthVersion(), ApiVersion: '1.51', Os: 'linux', Arch: process.arch === 'x64' ? 'amd64' : process.arch, NodeVersion: process.versions.node };
    let server: Record<string, unknown> | undefined;
    let error: Error | undefined;
    try {
      server = await ctx.client().get<Record<string, unknown>>('/version');
    } catch (err) {
      error = err as Error;
    }
    const fmt = structuredFormat(p);
    const tpl = str(p, 'format');
    if (fmt) await printStructured({ Client: client, Server: server ?? null }, fmt);
    else if (tpl) process.stdout.write(`${renderTemplate(tpl, { Client: client, Server: server })}\n`);
    else {
      process.stdout.write(`Client:\n Version:           ${client.Version}\n API version:       ${client.ApiVersion}\n Node version:      ${client.NodeVersion}\n OS/Arch:           ${client.Os}/${client.Arch}\n`);
      if (server) {
        process.stdout.write(`\nServer: berth\n Engine:\n  Version:          ${server.Version}\n  API version:      ${server.ApiVersion} (minimum version ${server.MinAPIVersion})\n  OS/Arch:          ${server.Os}/${server.Arch}\n  Kernel version:   ${server.KernelVersion}\n`);
      }
    }
    if (error) {
      if (!(error instanceof ConnectError)) throw error;
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    return 0;
  },
};

const info: Command = {
  spec: {
    name: 'info',
    usage: '[OPTIONS]',
    summary: 'Display system-wide information',
    maxArgs: 0,
    flags: [
      { name: 'format', short: 'f', type: 'string', help: "Format output: 'json' or a Go template" },
      { name: 'output', short: 'o', type: 'string', help: 'Output format: json or yaml' },
    ],
  },
  async run(p, ctx) {
    const i = await ctx.client().get<Record<string, unknown>>('/info');
    const fmt = structuredFormat(p);
    const tpl = str(p, 'format');
    if (fmt) await printStructured(i, fmt);
    else if (tpl) process.stdout.write(`${renderTemplate(tpl, i)}\n`);
    else {
      const lines = [
        `Client: berth ${berthVersion()} (${os.platform()})`,
        '',
        'Server:',
        ` Containers: ${i.Containers}`,
        `  Running: ${i.ContainersRunning}`,
        `  Paused: ${i.ContainersPaused}`,
        `  Stopped: ${i.ContainersStopped}`,
        ` Images: ${i.Images}`,
        ` Server Version: ${i.ServerVersion}`,
        ` Storage Driver: ${i.Driver}`,
        ` Logging Driver: ${i.LoggingDriver}`,
        ` Cgroup Driver: ${i.CgroupDriver}`,
        ` Cgroup Version: ${i.CgroupVersion}`,
        ` Runtimes: ${Object.keys((i.Runtimes as object) ?? {}).join(' ')}`,
        ` Default Runtime: ${i.DefaultRuntime}`,
        ` Init Binary: ${i.InitBinary}`,
        ` Kernel Version: ${i.KernelVersion}`,
        ` Operating System: ${i.OperatingSystem}`,
        ` OSType: ${i.OSType}`,
        ` Architecture: ${i.Architecture}`,
        ` CPUs: ${i.NCPU}`,
        ` Total Memory: ${bytesSize(Number(i.MemTotal))}`,
        ` Name: ${i.Name}`,
        ` Berth Root Dir: ${i.DockerRootDir}`,
        ` Live Restore Enabled: ${i.LiveRestoreEnabled}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return 0;
  },
};

export const commands: Record<string, Command> = { version, info };
