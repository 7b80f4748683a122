// A failed CNI plugin run, carrying the plugin's own error object (spec: code, msg, details).

export type CniCommand = 'ADD' | 'CHECK' | 'DEL';

const VERB: Record<CniCommand, string> = { ADD: 'add', CHECK: 'check', DEL: 'delete' };

export class CniPluginError extends Error {
  override name = 'CniPluginError';
  readonly pluginType: string;
  readonly networkName: string;
  readonly command: CniCommand;
  /** The spec's error code (1-99 reserved by the spec, 100+ plugin specific); 0 when the plugin gave none. */
  readonly code: number;
  readonly msg: string;
  readonly details: string;

  constructor(init: { pluginType: string; networkName: string; command: CniCommand; code: number; msg: string; details: string }) {
    // libcni's wording: plugin type="bridge" name="net" failed (add): <msg>; <details>
    const detail = init.details ? `; ${init.details}` : '';
    super(`plugin type=${JSON.stringify(init.pluginType)} name=${JSON.stringify(init.networkName)} failed (${VERB[init.command]}): ${init.msg}${detail}`);
    this.pluginType = init.pluginType;
    this.networkName = init.networkName;
    this.command = init.command;
    this.code = init.code;
    this.msg = init.msg;
    this.details = init.details;
  }
}

/** Turns a failed plugin's output into the error object, as libcni reads it. */
export function pluginFailure(exit: { code: number; stdout: string; stderr: string }): { code: number; msg: string; details: string } {
  if (exit.stdout.trim() === '') {
    const msg = exit.stderr.trim() === ''
      ? `netplugin failed with no error message: exit status ${exit.code}`
      : `netplugin failed: ${JSON.stringify(exit.stderr)}: exit status ${exit.code}`;
    return { code: 0, msg, details: '' };
  }
  try {
    const e = JSON.parse(exit.stdout) as { code?: unknown; msg?: unknown; details?: unknown };
    return {
      code: typeof e.code === 'number' ? e.code : 0,
      msg: typeof e.msg === 'string' ? e.msg : '',
      details: typeof e.details === 'string' ? e.details : '',
    };
  } catch (err) {
    return {
      code: 0,
      msg: `netplugin failed but error parsing its diagnostic message ${JSON.stringify(exit.stdout)}: ${(err as Error).message}`,
      details: '',
    };
  }
}
