/**
 * What a container runs: Docker's merge of the create options over the image config
 * (moby daemon/commit.go merge). A non-empty --entrypoint replaces the image's Entrypoint and
 * drops its Cmd (unless a cmd is given too); `--entrypoint ""` ([]) clears the entrypoint but
 * keeps the image Cmd when no cmd is given.
 */
import { invalidArgument } from '../../../base/errors.js';
import type { CreateContainerOptions } from '../../containers/types.js';
import type { ImageConfig } from '../../images/types.js';

export interface ResolvedCommand { entrypoint: string[]; cmd: string[]; args: string[] }

export function resolveCommand(options: Pick<CreateContainerOptions, 'entrypoint' | 'cmd'>, image: ImageConfig): ResolvedCommand {
  const ic = image.config ?? {};
  let entrypoint = options.entrypoint;
  let cmd = options.cmd;
  if (entrypoint === undefined || entrypoint.length === 0) {
    if (cmd === undefined || cmd.length === 0) cmd = ic.Cmd ?? [];
    if (entrypoint === undefined) entrypoint = ic.Entrypoint ?? [];
  }
  const args = [...entrypoint, ...(cmd ?? [])];
  if (args.length === 0) throw invalidArgument('no command specified');
  for (const a of args) if (typeof a !== 'string' || a.includes('\0')) throw invalidArgument(`invalid command argument ${JSON.stringify(a)}`);
  return { entrypoint: [...entrypoint], cmd: [...(cmd ?? [])], args };
}
