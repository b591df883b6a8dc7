import net from 'node:net';
import { invalidArgument } from '../../../base/errors.js';

export interface UpstreamAddress {
  host: string;
  port: number;
}

/** "1.2.3.4", "1.2.3.4:5353", "::1", "[::1]:5353", "fe80::1%eth0"; the port defaults to 53. */
export function parseUpstream(text: string): UpstreamAddress {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const v4WithPort = /^([\d.]+):(\d+)$/.exec(text);
  const [host, portText] = bracketed ? [bracketed[1]!, bracketed[2]] : v4WithPort ? [v4WithPort[1]!, v4WithPort[2]] : [text, undefined];
  const port = portText === undefined ? 53 : Number(portText);
  if (net.isIP(host.split('%')[0]!) === 0 || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw invalidArgument(`invalid DNS upstream "${text}": want an IP address, optionally with :port`);
  }
  return { host, port };
}

export function formatUpstream({ host, port }: UpstreamAddress): string {
  const bare = net.isIPv6(host.split('%')[0]!) ? `[${host}]` : host;
  return port === 53 ? host : `${bare}:${port}`;
}
