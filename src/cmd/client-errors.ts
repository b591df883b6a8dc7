/**
 * The CLI's connection errors, apart from client.ts so the entry point can catch them without
 * loading node:http (keeps `berth --help` and usage errors fast).
 */
export const DEFAULT_HOST = 'unix:///run/berth/berth.sock';

/** An error answer from the daemon (status ≥ 400), with the daemon's message. */
export class DaemonError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** The daemon could not be reached at all. */
export class ConnectError extends Error {}
