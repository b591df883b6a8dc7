/**
 * conmon writes `<exit-dir>/<container id>` (the exit status as decimal text, 128+n for signal n)
 * after the container's process ended and its output was drained. That file is the one truth about
 * an exit, also for a daemon that was not running when it happened.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The recorded exit code, or null while there is none. */
export function readExitFile(exitDir: string, id: string): number | null {
  try {
    const text = fs.readFileSync(path.join(exitDir, id), 'utf8').trim();
    if (text === '') return null; // conmon writes it with g_file_set_contents (atomic), but be safe
    const n = Number.parseInt(text, 10);
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

export function removeExitFile(exitDir: string, id: string): void {
  fs.rmSync(path.join(exitDir, id), { force: true });
}

/**
 * Watches one exit dir for many containers: inotify for promptness plus a slow poll, because
 * inotify events can be missed around watcher creation and on some filesystems.
 */
export class ExitWatcher {
  private readonly waiting = new Map<string, (code: number) => void>();
  private watcher: fs.FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly exitDir: string, private readonly onError: (err: unknown) => void) {
    fs.mkdirSync(exitDir, { recursive: true });
  }

  /** Calls onExit once, when the exit file for id appears (immediately if it already exists). */
  watch(id: string, onExit: (code: number) => void): void {
    this.waiting.set(id, onExit);
    this.ensureRunning();
    this.check(id);
  }

  unwatch(id: string): void {
    this.waiting.delete(id);
    if (this.waiting.size === 0) this.stop();
  }

  close(): void {
    this.waiting.clear();
    this.stop();
  }

  private check(id: string): void {
    const cb = this.waiting.get(id);
    if (!cb) return;
    const code = readExitFile(this.exitDir, id);
    if (code === null) return;
    this.waiting.delete(id);
    if (this.waiting.size === 0) this.stop();
    try {
      cb(code);
    } catch (err) {
      this.onError(err);
    }
  }

  private ensureRunning(): void {
    if (!this.watcher) {
      try {
        this.watcher = fs.watch(this.exitDir, (_event, file) => {
          if (file) this.check(file.toString());
        });
        this.watcher.on('error', (err) => this.onError(err));
      } catch (err) {
        this.onError(err);
      }
    }
    if (!this.timer) {
      this.timer = setInterval(() => {
        for (const id of [...this.waiting.keys()]) this.check(id);
      }, 500);
      this.timer.unref();
    }
  }

  private stop(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
