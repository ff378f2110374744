import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { isUrl } from './parseConfigText';
import type { HumanDuration, LoadedConfig } from './loadConfig';

/** How {@link watchConfig} reloads and reports. */
export interface WatchConfigOptions {
  /** Loads the configuration again. */
  reload(): Promise<LoadedConfig>;
  /** Receives each successful reload. */
  onLoad(loaded: LoadedConfig): void;
  /** Receives a failed reload; the previous configuration stays in place. */
  onError(error: unknown): void;
  /**
   * Files to follow, plus every location each reload reads; leave out to not watch files. Their
   * directories are watched, so a file that appears later is noticed.
   */
  files?: Iterable<string>;
  /** Reload on this interval as well, for remote config. */
  interval?: HumanDuration;
  /** Wait this long after a file event before reloading, to let editors finish writing. */
  debounceMs?: number;
}

/** Converts a {@link HumanDuration} to milliseconds. */
export function durationToMs(duration: HumanDuration): number {
  const { milliseconds = 0, seconds = 0, minutes = 0, hours = 0 } = duration;
  return milliseconds + 1000 * (seconds + 60 * (minutes + 60 * hours));
}

/**
 * Reloads configuration when a watched file changes and, if asked, on an interval. Watchers and
 * timers do not keep the process alive. Returns a function that stops everything.
 */
export function watchConfig(options: WatchConfigOptions): () => void {
  const watchers = new Map<string, FSWatcher>();
  let names = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;

  const follow = (files: Iterable<string>) => {
    names = new Set();
    const dirs = new Set<string>();
    for (const file of files) {
      if (isUrl(file)) continue;
      names.add(file);
      dirs.add(dirname(file));
    }
    for (const [dir, watcher] of watchers) {
      if (!dirs.has(dir)) {
        watcher.close();
        watchers.delete(dir);
      }
    }
    for (const dir of dirs) {
      if (watchers.has(dir)) continue;
      try {
        const watcher = watch(dir, { persistent: false }, (_event, name) => {
          if (!name || [...names].some(file => dirname(file) === dir && basename(file) === name)) {
            schedule();
          }
        });
        watcher.on('error', () => watchers.delete(dir));
        watchers.set(dir, watcher);
      } catch (error) {
        options.onError(error);
      }
    }
  };

  const runReload = async () => {
    do {
      again = false;
      try {
        const loaded = await options.reload();
        if (stopped) return;
        options.onLoad(loaded);
        if (options.files) follow([...options.files, ...loaded.locations]);
      } catch (error) {
        if (!stopped) options.onError(error);
      }
    } while (again && !stopped);
  };

  const trigger = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = runReload().finally(() => {
      running = undefined;
    });
  };

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(trigger, options.debounceMs ?? 100);
    timer.unref();
  };

  follow(options.files ?? []);
  const interval = options.interval ? durationToMs(options.interval) : 0;
  const poller = interval > 0 ? setInterval(trigger, interval) : undefined;
  poller?.unref();

  return () => {
    stopped = true;
    clearTimeout(timer);
    if (poller) clearInterval(poller);
    for (const watcher of watchers.values()) watcher.close();
    watchers.clear();
  };
}
