/**
 * `docker commit`'s layer: the container's changes as an OCI layer tar. Overlay's upper dir is
 * packed as it is, with its whiteouts translated back to the tar form (a 0/0 character device
 * `x` becomes an empty `.wh.x`, an opaque directory gets a `.wh..wh..opq` entry); the copy
 * driver's changes are packed from the diff against the image. Files berth mounts in
 * (/etc/hosts …) are left out, as Docker leaves its init layer out.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import { native } from '../../base/native.js';
import { containerChanges, INIT_PATHS } from './diff.js';
import type { ContainerFs } from './fs-view.js';
import { packTree, type TarHeader } from '../../base/tar-tree.js';

const OPAQUE = '.wh..wh..opq';

function whiteout(rel: string, mtime: Date): TarHeader {
  const dir = path.posix.dirname(rel);
  return { name: `${dir === '.' ? '' : `${dir}/`}.wh.${path.posix.basename(rel)}`, type: 'file', size: 0, mode: 0o644, mtime };
}

function packOverlay(pack: tar.Pack, upperDir: string): Promise<void> {
  return packTree(pack, upperDir, {
    name: '',
    filter: (rel, st, full) => {
      if (rel === '') return 'keep';
      if (INIT_PATHS.has(`/${rel}`)) return 'skip';
      if (st.isCharacterDevice() && st.rdev === 0) return { replace: [whiteout(rel, st.mtime)], descend: false };
      if (st.isDirectory() && native().lgetxattr(full, 'trusted.overlay.opaque')?.toString() === 'y') {
        return {
          replace: [
            { name: `${rel}/`, type: 'directory', mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: st.mtime },
            { name: `${rel}/${OPAQUE}`, type: 'file', size: 0, mode: 0o644, mtime: st.mtime },
          ],
          descend: true,
        };
      }
      return 'keep';
    },
  });
}

/** The copy driver: every added or changed path from the rootfs (directories alone), deletions as whiteouts. */
async function packCopy(pack: tar.Pack, fsv: ContainerFs): Promise<void> {
  for (const ch of containerChanges(fsv)) {
    const rel = ch.path.slice(1);
    if (ch.kind === 2) {
      await new Promise<void>((resolve, reject) => pack.entry(whiteout(rel, new Date()), Buffer.alloc(0), (e) => (e ? reject(e) : resolve())));
      continue;
    }
    const full = path.join(fsv.rootfs, rel);
    await packTree(pack, full, { name: rel, filter: (r) => (r === '' ? 'keep' : 'skip') });
  }
}

export function containerLayerTar(fsv: ContainerFs): Readable {
  const pack = tar.pack();
  const work = fsv.kind === 'overlay' && fsv.upperDir && fs.existsSync(fsv.upperDir) ? packOverlay(pack, fsv.upperDir) : packCopy(pack, fsv);
  work.then(
    () => pack.finalize(),
    (err: unknown) => pack.destroy(err as Error),
  );
  return pack as unknown as Readable;
}
