/**
 * Feeds the event hub. Container events come from the container manager. Image, network and
 * volume changes made through the API are observed by wrapping those engine services (the
 * wrapped engine is what the handlers get); the network connects and volume mounts a container
 * start implies, and the volumes a container create/remove implies, are derived from the
 * container's own events, as Docker reports them.
 */
import type { EventType } from '../../api/docker/event-json.js';
import type { ContainerEvent } from '../../engine/containers/types.js';
import { familiarName, normalizeReference } from '../../engine/images/index.js';
import type { Engine } from '../../engine/index.js';
import type { EventHub } from './event-hub.js';

type AnyFn = (...args: never[]) => unknown;
/** Called with a method's arguments before it runs; the returned function gets its result. */
type Hook = (...args: never[]) => ((result: never) => void) | void;

/** A proxy whose hooked methods report after they succeed; everything else passes through. */
function observe<T extends object>(target: T, hooks: Record<string, Hook>): T {
  return new Proxy(target, {
    get(t, prop) {
      const value: unknown = Reflect.get(t, prop, t);
      if (typeof value !== 'function') return value;
      const hook = typeof prop === 'string' ? hooks[prop] : undefined;
      if (!hook) return (value as AnyFn).bind(t);
      return async (...args: never[]) => {
        let after: ((r: never) => void) | void = undefined;
        try {
          after = hook(...args);
        } catch {
          // The call itself reports a bad argument; an observer must not.
        }
        const result = (await (value as AnyFn).apply(t, args)) as never;
        try {
          after?.(result);
        } catch {
          // Event reporting never fails the operation it reports.
        }
        return result;
      };
    },
  });
}

interface Remembered { networks: Array<{ id: string; name: string }>; volumes: Array<{ name: string; destination: string; rw: boolean }> }

export function observeEngine(engine: Engine, hub: EventHub): Engine {
  const pub = (type: EventType, action: string, id: string, attrs: Record<string, string>) => hub.publish(type, action, id, attrs);
  const knownVolumes = new Set(engine.volumes.list().map((v) => v.name));
  const volumeCreated = (name: string) => {
    if (knownVolumes.has(name)) return;
    knownVolumes.add(name);
    pub('volume', 'create', name, { driver: 'local' });
  };
  const volumeGone = (name: string) => {
    if (!knownVolumes.delete(name)) return;
    pub('volume', 'destroy', name, { driver: 'local' });
  };

  const running = new Map<string, Remembered>();
  const volumesOf = new Map<string, string[]>();
  engine.containers.events.on('event', (e: ContainerEvent) => {
    if (e.type !== 'container') return;
    // Only create and start read the container (its volumes); an inspect copies the whole record.
    let info;
    if (e.action === 'create' || e.action === 'start') {
      try {
        info = engine.containers.inspect(e.id);
      } catch {
        info = undefined;
      }
    }
    if (e.action === 'create' && info) {
      const names = (info.mountPoints ?? []).filter((m) => m.type === 'volume' && m.name).map((m) => m.name!);
      volumesOf.set(e.id, names);
      for (const n of names) volumeCreated(n);
    }
    hub.publish('container', e.action, e.id, e.attributes, e.timeNano);
    if (e.action === 'start' && info) {
      const settings = engine.networks.containerSettings(e.id);
      const remembered: Remembered = {
        networks: Object.entries(settings?.networks ?? {}).map(([name, ep]) => ({ id: ep.networkId, name })),
        volumes: (info.mountPoints ?? []).filter((m) => m.type === 'volume' && m.name).map((m) => ({ name: m.name!, destination: m.destination, rw: m.rw })),
      };
      running.set(e.id, remembered);
      for (const n of remembered.networks) pub('network', 'connect', n.id, { container: e.id, name: n.name, type: 'bridge' });
      for (const v of remembered.volumes) pub('volume', 'mount', v.name, { container: e.id, destination: v.destination, driver: 'local', propagation: '', 'read/write': String(v.rw) });
    }
    if (e.action === 'die') {
      const r = running.get(e.id);
      running.delete(e.id);
      for (const v of r?.volumes ?? []) pub('volume', 'unmount', v.name, { container: e.id, driver: 'local' });
      for (const n of r?.networks ?? []) pub('network', 'disconnect', n.id, { container: e.id, name: n.name, type: 'bridge' });
    }
    if (e.action === 'destroy') {
      const present = new Set(engine.volumes.list().map((v) => v.name));
      for (const n of volumesOf.get(e.id) ?? []) if (!present.has(n)) volumeGone(n);
      volumesOf.delete(e.id);
    }
  });
  for (const c of engine.containers.list({ all: true })) volumesOf.set(c.id, (c.mountPoints ?? []).filter((m) => m.type === 'volume' && m.name).map((m) => m.name!));

  const images = observe(engine.images, {
    tag: (_source: string, target: string) => () => {
      const img = engine.images.resolve(target);
      pub('image', 'tag', img.id, { name: familiarName(normalizeReference(target)) });
    },
    remove: (ref: string) => {
      const id = engine.images.resolve(ref).id;
      return (result: Array<{ Untagged?: string; Deleted?: string }>) => {
        for (const r of result) {
          if (r.Untagged) pub('image', 'untag', id, { name: r.Untagged });
          if (r.Deleted) pub('image', 'delete', r.Deleted, { name: r.Deleted });
        }
      };
    },
    load: () => (result: { images: Array<{ id: string; repoTags: string[] }> }) => {
      for (const img of result.images) pub('image', 'load', img.id, { name: img.repoTags[0] ?? img.id });
    },
    // Only image prune collects garbage: Docker reports it as one 'prune' event.
    gc: () => (r: { bytesFreed: number }) => pub('image', 'prune', '', { reclaimed: String(r.bytesFreed) }),
    save: (refs: string[]) => () => {
      for (const ref of refs) {
        const img = engine.images.resolve(ref);
        pub('image', 'save', img.id, { name: ref });
      }
    },
  });

  const networkOf = (ref: string) => engine.networks.inspect(ref);
  const networks = observe(engine.networks, {
    create: () => (n: { id: string; name: string }) => pub('network', 'create', n.id, { name: n.name, type: 'bridge' }),
    remove: (ref: string) => {
      const n = networkOf(ref);
      return () => pub('network', 'destroy', n.id, { name: n.name, type: 'bridge' });
    },
    connect: (ref: string, container: { id: string }) => {
      const n = networkOf(ref);
      return () => pub('network', 'connect', n.id, { container: container.id, name: n.name, type: 'bridge' });
    },
    disconnect: (ref: string, containerId: string) => {
      const n = networkOf(ref);
      return () => pub('network', 'disconnect', n.id, { container: containerId, name: n.name, type: 'bridge' });
    },
    prune: () => {
      const before = new Map(engine.networks.list().map((n) => [n.name, n.id]));
      return (names: string[]) => {
        for (const name of names) pub('network', 'destroy', before.get(name) ?? name, { name, type: 'bridge' });
        pub('network', 'prune', '', {});
      };
    },
  });

  const volumes = observe(engine.volumes, {
    create: () => (v: { name: string }) => volumeCreated(v.name),
    remove: (name: string) => () => volumeGone(name),
    prune: () => (r: { deleted: string[]; reclaimed: number }) => {
      r.deleted.forEach(volumeGone);
      pub('volume', 'prune', '', { reclaimed: String(r.reclaimed) });
    },
  });

  return { ...engine, images, networks, volumes, containers: engine.containers, close: () => engine.close() };
}
