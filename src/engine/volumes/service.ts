/**
 * The local volume driver and the volume usage table. Volumes live under <data-dir>/volumes (see
 * store.ts); which containers use which volume is kept in memory, fed by attach (create), adopt
 * (daemon start, from the container records) and release (removal), so a volume in use by any
 * container, in any state, cannot be removed.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { alreadyExists, asBerthError, conflict, invalidArgument, notFound } from '../../base/errors.js';
import { isMounted } from '../../base/mountinfo.js';
import { native } from '../../base/native.js';
import { KeyedSerialQueue } from '../../base/serial-queue.js';
import { checkVolumeName, type MountSpec } from '../../api/docker/volume-spec.js';
import { secureJoin } from '../runtime/index.js';
import { applyAttributes, copyTree, moveEntries } from './copy-up.js';
import { needsMount, parseMountOptions, validateDriverOptions } from './driver-options.js';
import { planMounts } from './plan.js';
import { diskUsage, isEmptyDir, VolumeStore } from './store.js';
import { ANONYMOUS_LABEL, type ContainerMountRequest, type ContainerVolumes, type CreateVolumeOptions, type MountPoint, type Volume, type VolumeService } from './types.js';

export interface LocalVolumesOptions {
  root: string;
  log?: (msg: string) => void;
  /** A container's name for messages ("volume is in use - [web (4f3e…)]"); its id when unknown. */
  containerName?: (id: string) => string | undefined;
}

export class LocalVolumes implements VolumeService, ContainerVolumes {
  private readonly store: VolumeStore;
  private readonly volumes = new Map<string, Volume>();
  private readonly users = new Map<string, Set<string>>(); // volume name → container ids
  private readonly byContainer = new Map<string, MountPoint[]>();
  private readonly locks = new KeyedSerialQueue();
  private readonly log: (msg: string) => void;
  containerName: (id: string) => string | undefined;

  constructor(o: LocalVolumesOptions) {
    this.store = new VolumeStore(o.root);
    this.log = o.log ?? (() => undefined);
    this.containerName = o.containerName ?? (() => undefined);
    for (const v of this.store.loadAll(this.log)) this.volumes.set(v.name, v);
  }

  // ---- VolumeService -------------------------------------------------------------------------

  async create(opts: CreateVolumeOptions): Promise<Volume> {
    const driver = opts.driver || 'local';
    if (driver !== 'local') throw notFound(`create ${opts.name ?? ''}: plugin "${driver}" not found: berth has the local driver only`);
    const options = opts.options ?? {};
    validateDriverOptions(options, opts.name ?? '');
    for (const [k, v] of Object.entries(opts.labels ?? {})) if (typeof v !== 'string' || k === '') throw invalidArgument(`invalid volume label "${k}"`);
    // A volume created without a name is anonymous, as in Docker (23+): `volume prune` takes it.
    if (!opts.name) return this.getOrCreate(newAnonymousName(), { labels: opts.labels ?? {}, anonymous: true, options });
    return this.getOrCreate(checkVolumeName(opts.name), { labels: opts.labels ?? {}, anonymous: false, options });
  }

  list(): Volume[] {
    return [...this.volumes.values()].map((v) => structuredClone(v)).sort((a, b) => a.name.localeCompare(b.name));
  }

  inspect(name: string): Volume {
    return structuredClone(this.get(name));
  }

  usersOf(name: string): string[] {
    return [...(this.users.get(name) ?? [])];
  }

  async remove(name: string, opts: { force?: boolean } = {}): Promise<void> {
    if (typeof name !== 'string' || name === '') throw invalidArgument('a volume name is required');
    if (!this.volumes.has(name)) {
      if (opts.force) return;
      throw notFound(`get ${name}: no such volume`);
    }
    const users = this.usersOf(name);
    if (users.length) throw conflict(`remove ${name}: volume is in use - [${users.map((id) => this.describe(id)).join(', ')}]`);
    await this.destroy(name);
  }

  async prune(accept: (v: Volume) => boolean): Promise<{ deleted: string[]; reclaimed: number }> {
    const deleted: string[] = [];
    let reclaimed = 0;
    for (const v of this.list()) {
      if (this.usersOf(v.name).length || !accept(v)) continue;
      const size = await diskUsage(v.mountpoint);
      try {
        await this.destroy(v.name);
      } catch (err) {
        this.log(`prune: volume ${v.name}: ${String(err)}`);
        continue;
      }
      deleted.push(v.name);
      reclaimed += size;
    }
    return { deleted, reclaimed };
  }

  // ---- ContainerVolumes ----------------------------------------------------------------------

  async attach(req: ContainerMountRequest): Promise<MountPoint[]> {
    const plan = planMounts(req);
    const out: MountPoint[] = [];
    this.byContainer.set(req.containerId, out);
    try {
      for (const p of plan) {
        if (p.kind === 'spec') await this.fromSpec(req, p.spec, out);
        else if (p.kind === 'inherited') {
          const mp = p.mountPoint;
          if (mp.type === 'volume' && !this.volumes.has(mp.name ?? '')) throw notFound(`volume "${mp.name}" of --volumes-from no longer exists`);
          out.push(mp);
          if (mp.type === 'volume') this.use(mp.name!, req.containerId);
        } else await this.volumeMount(req, { name: newAnonymousName(), anonymous: true, destination: p.destination, rw: true, mode: '', copy: true, labels: {} }, out);
      }
    } catch (err) {
      await this.release(req.containerId, { removeAnonymous: true });
      throw asBerthError(err);
    }
    return structuredClone(out);
  }

  async release(containerId: string, opts: { removeAnonymous: boolean }): Promise<void> {
    const mps = this.byContainer.get(containerId) ?? [];
    this.byContainer.delete(containerId);
    const doomed: string[] = [];
    for (const mp of mps) {
      if (mp.type !== 'volume' || !mp.name) continue;
      const set = this.users.get(mp.name);
      set?.delete(containerId);
      if (set && set.size === 0) {
        this.users.delete(mp.name);
        this.deactivate(mp.name);
      }
      if (opts.removeAnonymous && mp.anonymous && !this.users.has(mp.name) && this.volumes.has(mp.name)) doomed.push(mp.name);
    }
    // Each removal is one rename before the first await: the volumes are gone from lists at once.
    await Promise.all(doomed.map((name) => this.destroy(name).catch((err: unknown) => this.log(`removing anonymous volume ${name}: ${String(err)}`))));
  }

  adopt(containerId: string, mountPoints: MountPoint[]): void {
    this.byContainer.set(containerId, structuredClone(mountPoints));
    for (const mp of mountPoints) {
      if (mp.type !== 'volume' || !mp.name) continue;
      try {
        this.use(mp.name, containerId);
      } catch (err) {
        // Counted as used all the same (so it cannot be removed); until it is mounted again its
        // containers would see the bare directory, hence the log line.
        this.log(`volume ${mp.name} of container ${containerId.slice(0, 12)}: ${String(err)}`);
        this.addUser(mp.name, containerId);
      }
    }
  }

  // ---- internals -----------------------------------------------------------------------------

  private get(name: string): Volume {
    if (typeof name !== 'string' || name === '') throw invalidArgument('a volume name is required');
    const v = this.volumes.get(name);
    if (!v) throw notFound(`get ${name}: no such volume`);
    return v;
  }

  private describe(id: string): string {
    const name = this.containerName(id);
    return name ? `${name} (${id.slice(0, 12)})` : id;
  }

  /** Counts a user; the first one mounts a driver-option volume (which may throw, counting nobody). */
  private use(name: string, containerId: string): void {
    const v = this.volumes.get(name);
    if (v && !this.users.has(name)) this.activate(v);
    this.addUser(name, containerId);
  }

  private addUser(name: string, containerId: string): void {
    let set = this.users.get(name);
    if (!set) this.users.set(name, (set = new Set()));
    set.add(containerId);
  }

  /**
   * A volume with driver options (type/device/o) is mounted on its _data while containers use it,
   * as Docker's local driver does; one already mounted (a daemon restart) is kept as it is.
   */
  private activate(v: Volume): void {
    if (!needsMount(v.options) || isMounted(v.mountpoint)) return;
    const { flags, data } = parseMountOptions(v.options.o, v.name);
    try {
      native().mount(v.options.device ?? '', v.mountpoint, v.options.type === 'none' ? '' : (v.options.type ?? ''), flags, data);
    } catch (err) {
      throw invalidArgument(`error while mounting volume '${v.mountpoint}': failed to mount local volume: mount ${v.options.device}:${v.mountpoint}, flags: 0x${flags.toString(16)}, data: ${data}: ${(err as Error).message}`);
    }
  }

  /** The last user is gone: a driver-option volume is unmounted (a tmpfs volume's content goes with it). */
  private deactivate(name: string): void {
    const v = this.volumes.get(name);
    if (!v || !needsMount(v.options) || !isMounted(v.mountpoint)) return;
    try {
      native().umount2(v.mountpoint, 0);
    } catch (err) {
      this.log(`volume ${name}: unmounting ${v.mountpoint}: ${String(err)}`);
    }
  }

  private getOrCreate(name: string, o: { labels: Record<string, string>; anonymous: boolean; options?: Record<string, string> }): Volume {
    const existing = this.volumes.get(name);
    if (existing) return structuredClone(existing);
    const labels = o.anonymous ? { [ANONYMOUS_LABEL]: '', ...o.labels } : { ...o.labels };
    let v: Volume;
    try {
      v = this.store.create({ name, driver: 'local', created: new Date().toISOString(), labels, options: { ...(o.options ?? {}) }, anonymous: o.anonymous });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw alreadyExists(`volume "${name}": its directory exists but is not a usable volume`);
      throw err;
    }
    this.volumes.set(name, v);
    return structuredClone(v);
  }

  private async destroy(name: string): Promise<void> {
    this.volumes.delete(name);
    await this.store.remove(name);
  }

  private async fromSpec(req: ContainerMountRequest, spec: MountSpec, out: MountPoint[]): Promise<void> {
    const rw = !spec.readOnly;
    if (spec.type === 'tmpfs') {
      const data = [...(spec.tmpfsSize ? [`size=${spec.tmpfsSize}`] : []), ...(spec.tmpfsMode !== undefined ? [`mode=${spec.tmpfsMode.toString(8)}`] : []), ...(spec.tmpfsOptions ?? [])];
      out.push({ type: 'tmpfs', source: '', destination: spec.target, mode: '', rw, propagation: '', tmpfsOptions: data });
      return;
    }
    if (spec.type === 'bind') {
      const source = spec.source!;
      if (!fs.existsSync(source)) {
        if (!spec.createSource) throw invalidArgument(`invalid mount config for type "bind": bind source path does not exist: ${source}`);
        fs.mkdirSync(source, { recursive: true, mode: 0o755 });
      }
      out.push({ type: 'bind', source, destination: spec.target, mode: spec.mode ?? '', rw, propagation: spec.propagation ?? 'rprivate' });
      return;
    }
    if (spec.volumeDriver && spec.volumeDriver !== 'local') throw notFound(`plugin "${spec.volumeDriver}" not found: berth has the local volume driver only`);
    // --mount volume-opt=…: the options of a volume this mount creates (an existing one keeps its own).
    if (spec.volumeOptions) validateDriverOptions(spec.volumeOptions, spec.source ?? '');
    const anonymous = !spec.source;
    await this.volumeMount(req, {
      name: spec.source || newAnonymousName(), anonymous, destination: spec.target, rw, mode: spec.mode ?? '', copy: !spec.noCopy, labels: spec.volumeLabels ?? {}, options: spec.volumeOptions,
    }, out);
  }

  private async volumeMount(req: ContainerMountRequest, o: { name: string; anonymous: boolean; destination: string; rw: boolean; mode: string; copy: boolean; labels: Record<string, string>; options?: Record<string, string> }, out: MountPoint[]): Promise<void> {
    const v = this.getOrCreate(o.name, { labels: o.labels, anonymous: o.anonymous, options: o.options });
    // Recorded before the copy: a concurrent `volume rm` must not pull the volume from under it,
    // and a failed copy-up releases it with the rest.
    out.push({ type: 'volume', name: v.name, source: v.mountpoint, destination: o.destination, driver: 'local', mode: o.mode, rw: o.rw, propagation: '', ...(o.anonymous ? { anonymous: true } : {}) });
    this.use(v.name, req.containerId);
    if (o.copy) await this.locks.run(v.name, () => this.copyUp(v, req.rootfs, o.destination));
  }

  /** Docker's copy-up, when the volume is empty and the image has a directory at the destination. */
  private async copyUp(v: Volume, rootfs: string, destination: string): Promise<void> {
    if (!isEmptyDir(v.mountpoint)) return;
    const src = secureJoin(rootfs, destination);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(src);
    } catch {
      return; // nothing in the image there: the runtime creates the mount point
    }
    if (!st.isDirectory()) return;
    if (needsMount(v.options)) {
      // Its _data is another filesystem: no rename from a scratch dir beside it, copy straight in.
      await copyTree(src, v.mountpoint);
      await applyAttributes(v.mountpoint, st);
      return;
    }
    const scratch = this.store.scratch(v.name);
    try {
      await copyTree(src, scratch);
      if (!moveEntries(scratch, v.mountpoint)) return; // someone wrote into it meanwhile: it is theirs
      await applyAttributes(v.mountpoint, st);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }


}

function newAnonymousName(): string {
  return randomBytes(32).toString('hex');
}
