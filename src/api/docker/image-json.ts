/** berth's image records → Docker Engine API JSON (`/images/json`, `/images/{name}/json`, history). */
import type { ImageView } from './domain.js';
import { unixSeconds } from './human-time.js';

/** One entry of `GET /images/json`; `containers` is how many containers use it (-1 = not computed). */
export function imageSummaryJson(img: ImageView, containers = -1): Record<string, unknown> {
  return {
    Id: img.id,
    ParentId: '',
    RepoTags: img.repoTags,
    RepoDigests: img.repoDigests,
    Created: unixSeconds(img.created),
    Size: img.size,
    SharedSize: -1,
    Labels: img.config.config?.Labels ?? {},
    Containers: containers,
  };
}

/** `GET /images/{name}/json`. */
export function imageInspectJson(img: ImageView): Record<string, unknown> {
  const c = img.config.config ?? {};
  return {
    Id: img.id,
    RepoTags: img.repoTags,
    RepoDigests: img.repoDigests,
    Parent: '',
    Comment: img.config.comment ?? '',
    Created: img.created,
    DockerVersion: '',
    Author: img.config.author ?? '',
    Config: {
      Hostname: '',
      Domainname: '',
      User: c.User ?? '',
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      ExposedPorts: c.ExposedPorts,
      Tty: false,
      OpenStdin: false,
      StdinOnce: false,
      Env: c.Env ?? null,
      Cmd: c.Cmd ?? null,
      Image: '',
      Volumes: c.Volumes ?? null,
      WorkingDir: c.WorkingDir ?? '',
      Entrypoint: c.Entrypoint ?? null,
      OnBuild: null,
      Labels: c.Labels ?? null,
      StopSignal: c.StopSignal,
    },
    Architecture: img.config.architecture,
    Os: img.config.os,
    Size: img.size,
    GraphDriver: { Name: 'overlay', Data: null },
    RootFS: { Type: 'layers', Layers: img.config.rootfs.diff_ids },
    Metadata: { LastTagTime: '0001-01-01T00:00:00Z' },
  };
}
