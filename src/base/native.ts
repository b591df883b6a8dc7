/**
 * Loads berth's small native addon (native/berth_native.c): the syscalls Node cannot make.
 * Loaded lazily so commands that never touch it (most of the CLI) don't pay for it.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export interface BerthNative {
  /** mode includes file-type bits, e.g. fs.constants.S_IFCHR | 0o000 for an overlay whiteout. */
  mknod(path: string, mode: number, major: number, minor: number): void;
  lsetxattr(path: string, name: string, value: Buffer): void;
  /** null when the attribute is absent. */
  lgetxattr(path: string, name: string): Buffer | null;
  mount(source: string, target: string, fstype: string, flags: number, data: string): void;
  umount2(target: string, flags: number): void;
  /**
   * Connects to a SOCK_SEQPACKET unix socket and returns the fd of a SOCK_STREAM socket relayed to
   * it by a native thread. Packets arrive framed as [u8 stream][u32 BE length][payload]; bytes
   * written are sent raw. Wrap the fd with `new net.Socket({ fd })`.
   */
  seqpacketBridge(path: string): number;
  /** BPF program (struct sock_filter[]) for a seccomp section flattened to lines; see precompile.ts. */
  seccompCompile(text: string): Buffer;
  /**
   * A bound (not yet listening) IPv4 socket created inside the network namespace at netnsPath, by a
   * short-lived native thread (the caller's thread never changes namespace); lo is brought up there if
   * it is down. Wrap it with dgram `bind({ fd })` or `net.Server.listen({ fd })`.
   */
  netnsSocket(netnsPath: string, kind: 'udp' | 'tcp', address: string, port: number): number;
  /** A new network namespace bind-mounted onto `file` (an existing empty file), made by a native thread. */
  createNetns(file: string): void;
  /**
   * posix_spawn: `fds[i]` becomes the child's fd i (-1: /dev/null), every signal default and
   * unblocked, a new session with `setsid`; `file` without a slash is looked up in PATH. Returns the
   * pid; `onExit` gets the exit code, or -signal. Use src/base/process.ts rather than this.
   */
  spawn(file: string, argv: string[], envp: string[], cwd: string, fds: number[], setsid: boolean, onExit: (code: number) => void): number;
  /** A close-on-exec AF_UNIX stream socket pair: [daemon's end, child's end]. */
  socketpair(): [number, number];
}

export const MountFlags = {
  MS_RDONLY: 1,
  MS_NOSUID: 2,
  MS_NODEV: 4,
  MS_NOEXEC: 8,
  MS_REMOUNT: 32,
  MS_BIND: 4096,
  MS_REC: 16384,
  MS_PRIVATE: 1 << 18,
} as const;

export const UmountFlags = { MNT_FORCE: 1, MNT_DETACH: 2 } as const;

let loaded: BerthNative | undefined;

export function native(): BerthNative {
  if (loaded) return loaded;
  const here = path.dirname(fileURLToPath(import.meta.url));
  // Same relative location from src/base (tsx) and dist/base (built).
  const addon = path.resolve(here, '../../native/build/Release/berth_native.node');
  loaded = createRequire(import.meta.url)(addon) as BerthNative;
  return loaded;
}
