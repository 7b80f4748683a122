// One structured logger: constant messages with key/value fields, scoped with component and
// object keys. Lines go to stderr as logfmt; the level comes from NAVARCH_LOG (debug|info|warn|error).
export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  with(fields: Record<string, unknown>): Logger;
}

let threshold = ORDER[(process.env.NAVARCH_LOG as Level) ?? 'info'] ?? ORDER.info;
export function setLogLevel(level: Level): void { threshold = ORDER[level]; }
/** The level now in force (a component on another thread starts with it). */
export function logLevel(): Level { return (Object.keys(ORDER) as Level[]).find((l) => ORDER[l] === threshold) ?? 'info'; }

function render(value: unknown): string {
  if (value instanceof Error) value = value.message;
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return s !== undefined && /[\s"=]/.test(s) ? JSON.stringify(s) : String(s);
}

function write(level: Level, scope: Record<string, unknown>, msg: string, fields?: Record<string, unknown>): void {
  if (ORDER[level] < threshold) return;
  let line = `time=${new Date().toISOString()} level=${level} msg=${render(msg)}`;
  for (const [k, v] of Object.entries(scope)) line += ` ${k}=${render(v)}`;
  if (fields) for (const [k, v] of Object.entries(fields)) if (v !== undefined) line += ` ${k}=${render(v)}`;
  process.stderr.write(line + '\n');
}

export function createLogger(scope: Record<string, unknown> = {}): Logger {
  return {
    debug: (m, f) => write('debug', scope, m, f),
    info: (m, f) => write('info', scope, m, f),
    warn: (m, f) => write('warn', scope, m, f),
    error: (m, f) => write('error', scope, m, f),
    with: (more) => createLogger({ ...scope, ...more }),
  };
}
