/**
 * A tiny router: method + path pattern with `{param}` segments. `{name*}` matches across slashes
 * (image names like `example.com/a/b:1`). Routes are tried in order, so literal paths
 * (`/images/json`) go before patterns that would swallow them.
 */
export interface Match<H> { handler: H; params: Record<string, string> }

interface Route<H> { method: string; regex: RegExp; keys: string[]; handler: H }

export class Router<H> {
  private readonly routes: Route<H>[] = [];

  add(method: string | string[], pattern: string, handler: H): this {
    const keys: string[] = [];
    const source = pattern
      .split('/')
      .map((seg) => {
        const m = /^\{(\w+)(\*?)\}$/.exec(seg);
        if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        keys.push(m[1]!);
        return m[2] ? '(.+)' : '([^/]+)';
      })
      .join('/');
    for (const mth of Array.isArray(method) ? method : [method]) this.routes.push({ method: mth, regex: new RegExp(`^${source}$`), keys, handler });
    return this;
  }

  match(method: string, path: string): Match<H> | undefined {
    for (const r of this.routes) {
      if (r.method !== method && r.method !== '*') continue;
      const m = r.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      r.keys.forEach((k, i) => {
        params[k] = safeDecode(m[i + 1]!);
      });
      return { handler: r.handler, params };
    }
    return undefined;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
