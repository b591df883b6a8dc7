/** The daemon's stderr logger: one logfmt-style line per event, filtered by --log-level. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface StderrLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function isLogLevel(v: string): v is LogLevel {
  return v in ORDER;
}

function fmt(v: unknown): string {
  const s = typeof v === 'string' ? v : v instanceof Error ? v.message : JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
  return /[\s"=]/.test(s ?? '') ? JSON.stringify(s) : String(s);
}

export function stderrLogger(level: LogLevel, out: NodeJS.WritableStream = process.stderr): StderrLogger {
  const log = (l: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[l] < ORDER[level]) return;
    const extra = fields ? Object.entries(fields).filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}=${fmt(v)}`).join('') : '';
    out.write(`time=${new Date().toISOString()} level=${l} msg=${fmt(msg)}${extra}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
