// Runs CNI plugins over a network configuration list the way the spec (0.4.0/1.0.0) and libcni do:
// ADD in order, each plugin getting the previous one's result; CHECK and DEL with the cached ADD result;
// DEL in reverse order.
import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import type { CniNetworkConfigList, CniPluginConfig } from './cni-config.ts';
import { CniPluginError, pluginFailure, type CniCommand } from './cni-error.ts';
import { runCommand } from './run-command.ts';

/** A plugin result as the spec defines it; kept as JSON and passed on verbatim. */
export type CniResult = Record<string, unknown>;

export interface CniRuntimeConfig {
  containerId: string;
  /** Path of the network namespace; empty when it is gone (DEL then only releases host-side state). */
  netns: string;
  ifName: string;
  /** CNI_ARGS pairs, joined as K=V;K=V. */
  args: [string, string][];
  /** Values for plugin capabilities, e.g. portMappings; injected as runtimeConfig where a plugin declares them. */
  capabilityArgs: Record<string, unknown>;
}

export interface CniInvokerOptions {
  binDirs: string[];
  timeoutMs?: number;
}

const CONTAINER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export class CniInvoker {
  readonly #binDirs: string[];
  readonly #timeoutMs: number;

  constructor(opts: CniInvokerOptions) {
    this.#binDirs = opts.binDirs;
    this.#timeoutMs = opts.timeoutMs ?? 60_000;
  }

  async add(list: CniNetworkConfigList, rt: CniRuntimeConfig): Promise<CniResult> {
    validate(list, rt);
    let result: CniResult | undefined;
    for (const plugin of list.plugins) {
      const out = await this.#exec('ADD', list, plugin, result, rt);
      result = parseResult(out, list, plugin);
    }
    if (!result) throw new Error(`network ${JSON.stringify(list.name)} has no plugins`);
    return result;
  }

  async check(list: CniNetworkConfigList, rt: CniRuntimeConfig, cachedResult: CniResult): Promise<void> {
    validate(list, rt);
    for (const plugin of list.plugins) await this.#exec('CHECK', list, plugin, cachedResult, rt);
  }

  /** Tears down in reverse order. Plugins are written to tolerate repeated DEL and missing state. */
  async del(list: CniNetworkConfigList, rt: CniRuntimeConfig, cachedResult: CniResult | undefined): Promise<void> {
    validate(list, rt);
    for (const plugin of [...list.plugins].reverse()) await this.#exec('DEL', list, plugin, cachedResult, rt);
  }

  async #exec(command: CniCommand, list: CniNetworkConfigList, plugin: CniPluginConfig, prevResult: CniResult | undefined, rt: CniRuntimeConfig): Promise<string> {
    const file = await this.#find(plugin.type);
    const stdin = JSON.stringify(pluginStdin(list, plugin, prevResult, rt.capabilityArgs));
    const env: Record<string, string | undefined> = {
      ...process.env,
      CNI_COMMAND: command,
      CNI_CONTAINERID: rt.containerId,
      CNI_NETNS: rt.netns,
      CNI_ARGS: rt.args.map(([k, v]) => `${k}=${v}`).join(';'),
      CNI_IFNAME: rt.ifName,
      CNI_PATH: this.#binDirs.join(':'),
    };
    const exit = await runCommand(file, [], { stdin, env, timeoutMs: this.#timeoutMs });
    if (exit.code !== 0) {
      throw new CniPluginError({ pluginType: plugin.type, networkName: list.name, command, ...pluginFailure(exit) });
    }
    return exit.stdout;
  }

  async #find(type: string): Promise<string> {
    for (const dir of this.#binDirs) {
      const file = join(dir, type);
      try {
        await access(file, constants.X_OK);
        return file;
      } catch { /* try the next directory */ }
    }
    throw new Error(`failed to find plugin ${JSON.stringify(type)} in path [${this.#binDirs.join(' ')}]`);
  }
}

/** The JSON a plugin reads on stdin: its own config plus the list's name and version, prevResult, runtimeConfig. */
export function pluginStdin(list: CniNetworkConfigList, plugin: CniPluginConfig, prevResult: CniResult | undefined, capabilityArgs: Record<string, unknown>): Record<string, unknown> {
  const conf: Record<string, unknown> = { ...plugin, name: list.name, cniVersion: list.cniVersion };
  if (prevResult) conf.prevResult = prevResult;
  const runtimeConfig: Record<string, unknown> = {};
  for (const [capability, enabled] of Object.entries(plugin.capabilities ?? {})) {
    if (enabled && capability in capabilityArgs) runtimeConfig[capability] = capabilityArgs[capability];
  }
  if (Object.keys(runtimeConfig).length > 0) conf.runtimeConfig = runtimeConfig;
  return conf;
}

function validate(list: CniNetworkConfigList, rt: CniRuntimeConfig): void {
  if (!CONTAINER_ID.test(rt.containerId)) throw new Error(`invalid characters in containerID ${JSON.stringify(rt.containerId)}`);
  if (!CONTAINER_ID.test(list.name)) throw new Error(`invalid characters found in network name ${JSON.stringify(list.name)}`);
  if (rt.ifName === '' || rt.ifName.length > 15 || /[/:\s]/.test(rt.ifName) || rt.ifName === '.' || rt.ifName === '..') {
    throw new Error(`invalid interface name ${JSON.stringify(rt.ifName)}`);
  }
}

function parseResult(stdout: string, list: CniNetworkConfigList, plugin: CniPluginConfig): CniResult {
  try {
    const parsed = JSON.parse(stdout) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as CniResult;
  } catch { /* reported below */ }
  throw new CniPluginError({
    pluginType: plugin.type, networkName: list.name, command: 'ADD', code: 0,
    msg: `plugin returned an unreadable result ${JSON.stringify(stdout.slice(0, 200))}`, details: '',
  });
}
