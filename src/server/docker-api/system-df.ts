/**
 * `GET /system/df` (docker system df [-v]) and `POST /build/prune` (berth has no build cache, so
 * the report is empty and true). Sizes are measured on disk at request time: images by their
 * unpacked layers, containers by their writable layer, volumes by their data directory.
 */
import { containerListJson } from '../../api/docker/container-json.js';
import { imageSummaryJson } from '../../api/docker/image-json.js';
import { volumeJson } from '../../api/docker/volume-json.js';
import { invalidArgument } from '../../base/errors.js';
import { changesSize, treeSize } from '../../engine/containers/index.js';
import { fsOf } from './container-fs.js';
import { sendJson, type Handler, type RequestContext } from './context.js';
import { withNetwork } from './networks.js';
import type { Router } from './router.js';

const TYPES = ['container', 'image', 'volume', 'build-cache'];

async function df({ res, query, deps }: RequestContext): Promise<void> {
  const types = query.getAll('type');
  for (const t of types) if (!TYPES.includes(t)) throw invalidArgument(`unknown disk usage type "${t}": use one of ${TYPES.join(', ')}`);
  const want = (t: string) => types.length === 0 || types.includes(t);
  const engine = deps.engine;
  const containers = engine.containers.list({ all: true });
  const body: Record<string, unknown> = {};
  if (want('image')) {
    const users = new Map<string, number>();
    for (const c of containers) users.set(c.imageId, (users.get(c.imageId) ?? 0) + 1);
    const layerUsers = new Map<string, number>();
    const images = engine.images.list();
    for (const img of images) for (const id of img.chainIds) layerUsers.set(id, (layerUsers.get(id) ?? 0) + 1);
    const layerSize = (id: string) => {
      try {
        return engine.images.snapshotter.getLayer(id).size;
      } catch {
        return 0;
      }
    };
    body.LayersSize = engine.images.snapshotter.list().reduce((a, l) => a + l.size, 0);
    body.Images = images.map((img) => ({
      ...imageSummaryJson(img, users.get(img.id) ?? 0),
      // Bytes of layers this image shares with another image.
      SharedSize: img.chainIds.filter((id) => (layerUsers.get(id) ?? 0) > 1).reduce((a, id) => a + layerSize(id), 0),
    }));
  }
  if (want('container')) {
    body.Containers = containers.map((c) => {
      let sizeRw = 0;
      try {
        sizeRw = changesSize(fsOf(deps, c.id));
      } catch (err) {
        deps.log.warn('container size unavailable', { id: c.id, error: String(err) });
      }
      let imageSize = 0;
      try {
        imageSize = engine.images.resolve(c.imageId).size;
      } catch {
        // The image may have been removed with force; the container still counts its own bytes.
      }
      return { ...containerListJson(withNetwork(deps, c)), SizeRw: sizeRw, SizeRootFs: sizeRw + imageSize };
    });
  }
  if (want('volume')) {
    body.Volumes = engine.volumes.list().map((v) => ({ ...volumeJson(v), UsageData: { Size: treeSize(v.mountpoint), RefCount: engine.volumes.usersOf(v.name).length } }));
  }
  if (want('build-cache')) body.BuildCache = [];
  sendJson(res, 200, body);
}

async function buildPrune({ res }: RequestContext): Promise<void> {
  sendJson(res, 200, { CachesDeleted: null, SpaceReclaimed: 0 });
}

export function systemDfRoutes(r: Router<Handler>): void {
  r.add('GET', '/system/df', df).add('POST', '/build/prune', buildPrune);
}
