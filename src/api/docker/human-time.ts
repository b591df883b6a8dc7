/** Docker's human-readable durations (go-units HumanDuration), used in `ps` and `images` columns. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const minutes = Math.floor(ms / 60_000);
  const hours = Math.round(ms / 3_600_000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(hours / 24 / 365)} years`;
}

/** "Go zero time" as berth's contracts spell never-happened timestamps. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

export function isZeroTime(t: string | undefined): boolean {
  return !t || t.startsWith('0001-01-01');
}

/** Unix seconds of an RFC 3339 timestamp (0 for the zero time). */
export function unixSeconds(t: string | undefined): number {
  if (isZeroTime(t)) return 0;
  const ms = Date.parse(t!);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}
