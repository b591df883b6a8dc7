/**
 * Running a network configuration list (conflist) the way the CNI spec's runtime section says:
 * ADD runs the plugins in order, each getting the previous plugin's result as prevResult; DEL
 * runs them in reverse, each getting the cached ADD result; CHECK like ADD order with that cached
 * result. Capabilities a plugin declares (e.g. portMappings) receive their runtimeConfig.
 */
import { execPlugin, type CniRuntime } from './exec.js';
import type { CniResult } from './result.js';

export const CNI_VERSION = '1.0.0';

export interface PluginConf { type: string; capabilities?: Record<string, boolean>; [key: string]: unknown }
export interface NetConfList { cniVersion: string; name: string; plugins: PluginConf[] }

/** Runtime-supplied arguments by capability name (e.g. { portMappings: [...] }). */
export type RuntimeConfig = Record<string, unknown>;

function pluginConfig(list: NetConfList, plugin: PluginConf, prevResult: CniResult | null, runtimeConfig: RuntimeConfig): Record<string, unknown> & { type: string } {
  const { capabilities, ...rest } = plugin;
  const conf: Record<string, unknown> & { type: string } = { ...rest, cniVersion: list.cniVersion, name: list.name };
  const granted: RuntimeConfig = {};
  for (const [cap, on] of Object.entries(capabilities ?? {})) if (on && runtimeConfig[cap] !== undefined) granted[cap] = runtimeConfig[cap];
  if (Object.keys(granted).length) conf.runtimeConfig = granted;
  if (prevResult) conf.prevResult = prevResult;
  return conf;
}

/** ADD; on a failure part-way the plugins already run are deleted again (the spec's rule). */
export async function addNetworkList(list: NetConfList, rt: CniRuntime, runtimeConfig: RuntimeConfig = {}): Promise<CniResult> {
  let prev: CniResult | null = null;
  for (const plugin of list.plugins) {
    try {
      prev = (await execPlugin('ADD', pluginConfig(list, plugin, prev, runtimeConfig), rt)) ?? prev;
    } catch (err) {
      await delNetworkList(list, rt, prev, runtimeConfig).catch(() => undefined);
      throw err;
    }
  }
  return prev ?? { cniVersion: list.cniVersion };
}

/** DEL in reverse order; every plugin runs even when one fails, and the first failure is thrown. */
export async function delNetworkList(list: NetConfList, rt: CniRuntime, cached: CniResult | null, runtimeConfig: RuntimeConfig = {}): Promise<void> {
  let first: unknown = null;
  for (const plugin of [...list.plugins].reverse()) {
    try {
      await execPlugin('DEL', pluginConfig(list, plugin, cached, runtimeConfig), rt);
    } catch (err) {
      first ??= err;
    }
  }
  if (first) throw first;
}

export async function checkNetworkList(list: NetConfList, rt: CniRuntime, cached: CniResult, runtimeConfig: RuntimeConfig = {}): Promise<void> {
  for (const plugin of list.plugins) await execPlugin('CHECK', pluginConfig(list, plugin, cached, runtimeConfig), rt);
}
