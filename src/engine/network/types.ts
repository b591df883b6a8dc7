/**
 * The networking subsystem's contract. Networks are bridge networks set up by the CNI plugins;
 * every container with its own network gets a network namespace (a bind-mounted nsfs file under
 * the run dir) and one CNI attachment per network it is connected to.
 */
export interface NetworkInfo {
  id: string; // 64 hex
  name: string;
  /** bridge; host and null for the pre-defined "host" and "none" networks. */
  driver: 'bridge' | 'host' | 'null';
  created: string; // RFC 3339
  subnet: string; // CIDR; '' for host and none
  gateway: string;
  bridge: string; // the Linux bridge's name
  internal: boolean;
  labels: Record<string, string>;
  /** The daemon's default network ("bridge"): no DNS names, cannot be removed. */
  isDefault: boolean;
  /** Containers connected to it (running or not), with their endpoint when running. */
  containers: Record<string, EndpointInfo>;
}

export interface EndpointInfo {
  containerId: string;
  containerName: string;
  endpointId: string; // empty while the container does not run
  ip: string;
  prefixLen: number;
  gateway: string;
  mac: string;
  aliases: string[];
  ipv4Address?: string; // asked for (IPAMConfig)
}

export interface CreateNetworkOptions {
  name: string;
  driver?: string;
  subnet?: string;
  gateway?: string;
  internal?: boolean;
  labels?: Record<string, string>;
}

/** A host port published by a running container. */
export interface PortMapping { hostIp: string; hostPort: number; containerPort: number; protocol: 'tcp' | 'udp' }

/** What `docker inspect` shows under NetworkSettings. */
export interface ContainerNetworkSettings {
  sandboxKey: string;
  networks: Record<string, EndpointInfo & { networkId: string }>; // by network name
  ports: PortMapping[];
  exposed: string[]; // "80/tcp"
}

export interface NetworkService {
  create(opts: CreateNetworkOptions): Promise<NetworkInfo>;
  list(): NetworkInfo[];
  /** By name, id or unambiguous id prefix. */
  inspect(ref: string): NetworkInfo;
  remove(ref: string): Promise<void>;
  /** Removes every network no container uses; returns the removed names. */
  prune(filter?: (n: NetworkInfo) => boolean): Promise<string[]>;
  connect(ref: string, container: { id: string; name: string; running: boolean }, opts?: { aliases?: string[]; ipv4Address?: string }): Promise<void>;
  disconnect(ref: string, containerId: string, force?: boolean): Promise<void>;
  /** After a container rename: its DNS name on user-defined networks follows. */
  renameContainer(containerId: string, name: string): Promise<void>;
  /** null for containers without a network of their own (host / none / unknown). */
  containerSettings(containerId: string): ContainerNetworkSettings | null;
}
