/** `docker export`: the container's root filesystem (without its volumes and mounts) as one tar. */
import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import { packTree } from '../../base/tar-tree.js';
import type { ContainerInfo } from './types.js';

export function exportRootfs(c: ContainerInfo): Readable {
  const pack = tar.pack();
  void packTree(pack, c.rootfs, { name: '' }).then(
    () => pack.finalize(),
    (err: unknown) => pack.destroy(err as Error),
  );
  return pack as unknown as Readable;
}
