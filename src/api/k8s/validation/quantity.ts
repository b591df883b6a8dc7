/**
 * resource.Quantity: the serialized forms kube accepts ("100m", "1.5Gi", "1e3", "128974848") and
 * their numeric value, for validating container resources (format, ≥ 0, requests ≤ limits).
 */
export const QUANTITY_REGEX = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The quantity's value, or null when it is not a valid quantity. Numbers are accepted as JSON numbers are. */
export function parseQuantity(q: unknown): number | null {
  if (typeof q === 'number') return Number.isFinite(q) ? q : null;
  if (typeof q !== 'string') return null;
  const m = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(.*)$/.exec(q.trim());
  if (!m || q.trim() !== q) return null;
  const n = Number(m[1]);
  const suffix = m[2]!;
  if (suffix in BINARY) return n * BINARY[suffix]!;
  if (suffix in DECIMAL) return n * DECIMAL[suffix]!;
  const exp = /^[eE]([+-]?[0-9]+)$/.exec(suffix);
  return exp ? n * 10 ** Number(exp[1]) : null;
}
