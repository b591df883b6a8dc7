/**
 * 127.0.0.11:53 over UDP and TCP inside one container's network namespace, served by the daemon's
 * event loop. The sockets are created in the namespace by the native addon (the socket keeps it);
 * Node only wraps their fds, so every query is handled on the main thread like any other I/O.
 */
import dgram from 'node:dgram';
import { closeSync } from 'node:fs';
import net from 'node:net';
import { native } from '../../../base/native.js';
import { conflict, internal, notFound } from '../../../base/errors.js';
import { DnsMessageReader, frameDnsMessage } from './tcp-framing.js';

export const EMBEDDED_DNS_ADDRESS = '127.0.0.11';
const DNS_PORT = 53;
/** A TCP client that sends nothing for this long is dropped (RFC 7766 suggests seconds, not minutes). */
const TCP_IDLE_MS = 10_000;
const MAX_TCP_CONNECTIONS = 64;

/** Turns one query into its reply; null = send nothing. Must not throw. */
export type QueryHandler = (query: Buffer, transport: 'udp' | 'tcp') => Promise<Buffer | null>;

export class NetnsListener {
  private readonly connections = new Set<net.Socket>();
  private closed = false;

  private constructor(
    private readonly udp: dgram.Socket,
    private readonly tcp: net.Server,
  ) {}

  static open(netnsPath: string, handle: QueryHandler, log: (message: string) => void): NetnsListener {
    const udpFd = listenerFd(netnsPath, 'udp');
    let tcpFd: number;
    try {
      tcpFd = listenerFd(netnsPath, 'tcp');
    } catch (err) {
      closeSync(udpFd);
      throw err;
    }
    const udp = dgram.createSocket('udp4');
    const tcp = net.createServer();
    const listener = new NetnsListener(udp, tcp);
    udp.on('error', (err) => log(`dns: UDP listener in ${netnsPath}: ${err.message}`));
    tcp.on('error', (err) => log(`dns: TCP listener in ${netnsPath}: ${err.message}`));
    udp.on('message', (query, from) => listener.onDatagram(query, from, handle));
    tcp.on('connection', (socket) => listener.onConnection(socket, handle));
    tcp.maxConnections = MAX_TCP_CONNECTIONS;
    // Both adopt their fd at once (no address lookup), so the listener serves when open returns;
    // a failure to adopt is a bug (the fds come from netnsSocket), not an expected error.
    try {
      udp.bind({ fd: udpFd });
    } catch (err) {
      closeSync(udpFd);
      closeSync(tcpFd);
      throw internal(`cannot serve DNS over UDP in network namespace "${netnsPath}"`, err);
    }
    tcp.listen({ fd: tcpFd });
    return listener;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.udp.close();
    this.tcp.close();
    for (const socket of this.connections) socket.destroy();
    this.connections.clear();
  }

  private onDatagram(query: Buffer, from: dgram.RemoteInfo, handle: QueryHandler): void {
    void handle(query, 'udp').then((reply) => {
      if (reply && !this.closed) this.udp.send(reply, from.port, from.address);
    });
  }

  private onConnection(socket: net.Socket, handle: QueryHandler): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    this.connections.add(socket);
    const reader = new DnsMessageReader();
    socket.setTimeout(TCP_IDLE_MS, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.connections.delete(socket));
    socket.on('data', (chunk) => {
      for (const query of reader.push(chunk)) {
        void handle(query, 'tcp').then((reply) => {
          if (reply && !socket.destroyed) socket.write(frameDnsMessage(reply));
        });
      }
    });
  }
}

function listenerFd(netnsPath: string, kind: 'udp' | 'tcp'): number {
  try {
    return native().netnsSocket(netnsPath, kind, EMBEDDED_DNS_ADDRESS, DNS_PORT);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const where = `${EMBEDDED_DNS_ADDRESS}:${DNS_PORT}/${kind} in network namespace "${netnsPath}"`;
    if (code === 'ENOENT') throw notFound(`network namespace "${netnsPath}" not found`);
    if (code === 'EADDRINUSE') throw conflict(`${where} is already in use`);
    throw internal(`cannot listen on ${where}: ${(err as Error).message}`, err);
  }
}
