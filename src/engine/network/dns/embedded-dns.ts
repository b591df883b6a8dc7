import type { DnsAnswerSource, EmbeddedDnsOptions } from './index.js';
import { notImplemented } from '../../../base/errors.js';

export class EmbeddedDns {
  constructor(private readonly opts: EmbeddedDnsOptions = {}) {}

  /** Serves 127.0.0.11:53 (UDP and TCP) inside the network namespace at netnsPath for one container. */
  async attach(containerId: string, netnsPath: string, names: DnsAnswerSource): Promise<void> {
    void containerId; void netnsPath; void names; void this.opts;
    throw notImplemented('embedded DNS attach');
  }

  detach(containerId: string): void {
    void containerId;
  }

  close(): void {}
}
