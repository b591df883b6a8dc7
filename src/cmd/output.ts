/**
 * CLI output helpers: docker-style tables (tabwriter minwidth 10, padding 3), human sizes,
 * a Go-template subset for `--format`/`-f`, and JSON/YAML printing for `-o`.
 */
export function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(10, ...all.map((r) => (r[c] ?? '').length + 3)));
  return all.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('').trimEnd()).join('\n') + '\n';
}

/** go-units HumanSize: decimal units, 3 significant digits ("4.26MB"). */
export function humanSize(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Number(v.toPrecision(3))}${units[i]}`;
}

/** go-units BytesSize: binary units ("1.5MiB"), 4 significant digits as docker stats shows them. */
export function bytesSize(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number(v.toPrecision(4))}${units[i]}`;
}

/** RAM sizes as users type them: 64m, 1g, 512k, 1024 (bytes). */
export function parseBytes(s: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([bkmgt]?)i?b?$/i.exec(s.trim());
  if (!m) throw new Error(`invalid size "${s}" for ${flag}: use a number with an optional unit b, k, m or g`);
  const mult = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2]!.toLowerCase() as '' | 'b' | 'k' | 'm' | 'g' | 't'];
  return Math.floor(Number(m[1]) * mult);
}

export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

export function ellipsis(s: string, max: number): string {
  return [...s].length > max ? `${[...s].slice(0, max - 1).join('')}…` : s;
}

function lookup(data: unknown, path: string): unknown {
  if (path === '.' || path === '') return data;
  let cur: unknown = data;
  for (const key of path.replace(/^\./, '').split('.')) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Go's fmt of a value inside a template: maps as map[k:v], arrays as [a b], nil as <no value>. */
function goString(v: unknown): string {
  if (v === undefined) return '<no value>';
  if (v === null) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goString).join(' ')}]`;
  if (typeof v === 'object') return `map[${Object.entries(v as object).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => `${k}:${goString(x)}`).join(' ')}]`;
  return String(v);
}

/**
 * The Go-template subset berth supports: `{{.A.B}}`, `{{json .A}}`, `{{json .}}`,
 * `{{index .A "key"}}`, `{{upper .A}}`, `{{lower .A}}`, `{{println .A}}`; text outside actions is
 * copied, `\t`/`\n` escapes are honoured like docker's --format.
 */
export function renderTemplate(tpl: string, data: unknown): string {
  const text = tpl.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  return text.replace(/\{\{-?\s*(.*?)\s*-?\}\}/g, (_m, expr: string) => {
    const parts = expr.match(/"[^"]*"|\S+/g) ?? [];
    const [fn, ...rest] = parts;
    const arg = (k: number) => {
      const p = rest[k];
      if (p === undefined) throw new Error(`template: missing argument in {{${expr}}}`);
      return p.startsWith('"') ? p.slice(1, -1) : lookup(data, p);
    };
    switch (fn) {
      case 'json':
        return JSON.stringify(arg(0) ?? null);
      case 'index': {
        const base = arg(0) as Record<string, unknown> | undefined;
        return goString(base?.[String(arg(1))]);
      }
      case 'upper':
        return goString(arg(0)).toUpperCase();
      case 'lower':
        return goString(arg(0)).toLowerCase();
      case 'println':
        return `${goString(arg(0))}\n`;
      default:
        if (fn?.startsWith('.') && rest.length === 0) return goString(lookup(data, fn));
        throw new Error(`template: unsupported action {{${expr}}}: berth supports .Field paths, json, index, upper, lower`);
    }
  });
}

/** `-o json|yaml` / `--format json`: prints a value; YAML loads its module only when asked. */
export async function printStructured(value: unknown, format: 'json' | 'yaml', out: NodeJS.WritableStream = process.stdout): Promise<void> {
  if (format === 'json') {
    out.write(`${JSON.stringify(value, null, 4)}\n`);
    return;
  }
  const YAML = await import('yaml');
  out.write(YAML.stringify(value));
}

/**
 * `--format` for list commands: `json` (one object per line), `table …` (a header from the
 * field names, columns aligned on `\t`), or a plain Go template per row.
 */
export function formatList(fmt: string, rows: Array<Record<string, string>>, headers: Record<string, string>): string {
  if (fmt === 'json') return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
  if (!fmt.startsWith('table')) return rows.map((r) => `${renderTemplate(fmt, r)}\n`).join('');
  const tpl = fmt.slice('table'.length).trim();
  const header = tpl.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (_m, f: string) => headers[f] ?? f.toUpperCase());
  const split = (line: string) => line.split('\t');
  return table(split(renderTemplate(header, {})), rows.map((r) => split(renderTemplate(tpl, r))));
}
