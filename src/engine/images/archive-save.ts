/**
 * Writes a docker-save archive: `<config hex>.json`, `<diffID hex>/layer.tar` (uncompressed, so
 * its sha256 is the diffID), `manifest.json` and `repositories`. `skopeo inspect
 * docker-archive:` and `docker load` read it; the config bytes are the stored blob, so the
 * image id (config digest) survives a save/load round trip.
 */
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import zlib from 'node:zlib';
import tarStream from 'tar-stream';
import { digestHex, type DockerArchiveEntry } from '../../api/oci/index.js';

export interface SaveItem {
  id: string;
  /** Familiar tags to list in RepoTags, e.g. `busybox:latest`. */
  repoTags: string[];
  config: Buffer;
  layers: Array<{ diffId: string; tarSize: number; open: () => Readable; compression: 'none' | 'gzip' }>;
}

const epoch = new Date(0);

async function writeEntry(pack: tarStream.Pack, name: string, size: number, source: Readable | Buffer): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    if (Buffer.isBuffer(source)) {
      pack.entry({ name, size, mode: 0o644, mtime: epoch }, source, (err) => (err ? reject(err) : resolve()));
      return;
    }
    const sink = pack.entry({ name, size, mode: 0o644, mtime: epoch }, (err) => (err ? reject(err) : resolve()));
    source.on('error', (err) => {
      sink.destroy(err);
      reject(err);
    });
    source.pipe(sink as unknown as Writable);
  });
}

export async function writeDockerArchive(items: SaveItem[], out: Writable): Promise<void> {
  const pack = tarStream.pack();
  pack.pipe(out as unknown as Writable);
  const done = finished(out);
  const manifest: DockerArchiveEntry[] = [];
  const repositories: Record<string, Record<string, string>> = {};
  const written = new Set<string>();
  try {
    for (const item of items) {
      const configName = `${digestHex(item.id)}.json`;
      if (!written.has(configName)) {
        await writeEntry(pack, configName, item.config.length, item.config);
        written.add(configName);
      }
      const layerNames: string[] = [];
      for (const l of item.layers) {
        const name = `${digestHex(l.diffId)}/layer.tar`;
        layerNames.push(name);
        if (written.has(name)) continue;
        const raw = l.open();
        const src = l.compression === 'gzip' ? raw.pipe(zlib.createGunzip()) : raw;
        if (l.compression === 'gzip') raw.on('error', (err) => src.destroy(err));
        await writeEntry(pack, name, l.tarSize, src);
        written.add(name);
      }
      manifest.push({ Config: configName, RepoTags: item.repoTags.length ? item.repoTags : null, Layers: layerNames });
      const top = item.layers.at(-1);
      for (const t of item.repoTags) {
        const colon = t.lastIndexOf(':');
        (repositories[t.slice(0, colon)] ??= {})[t.slice(colon + 1)] = top ? digestHex(top.diffId) : digestHex(item.id);
      }
    }
    await writeEntry(pack, 'manifest.json', Buffer.byteLength(JSON.stringify(manifest)), Buffer.from(JSON.stringify(manifest)));
    if (Object.keys(repositories).length > 0) {
      const repos = Buffer.from(JSON.stringify(repositories));
      await writeEntry(pack, 'repositories', repos.length, repos);
    }
    pack.finalize();
  } catch (err) {
    pack.destroy(err as Error);
    (out as Writable).destroy(err as Error);
    throw err;
  }
  await done;
}
