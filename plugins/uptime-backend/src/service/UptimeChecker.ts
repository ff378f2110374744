import type { LoggerService } from '@backplane/plugin-api';
import type { HostPolicy } from './HostPolicy';
import type { SummaryCache } from './SummaryCache';
import type { TargetStore } from './TargetStore';
import type { CheckResult, Target } from './types';

/** How many targets are checked at the same time. */
const CONCURRENCY = 8;
/** How long results are kept. */
const RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
const USER_AGENT = 'backplane-uptime/0.1';

/** What the checker needs, injected by the plugin. */
export interface UptimeCheckerOptions {
  store: TargetStore;
  summaries: SummaryCache;
  policy: HostPolicy;
  logger: LoggerService;
  /** The longest one request waits for its response headers. */
  requestTimeoutMs: number;
}

/**
 * Checks every target over HTTP and stores the results. `checkAll` is the body of the plugin's
 * scheduled task: it stops as soon as the task's signal aborts.
 */
export class UptimeChecker {
  readonly #options: UptimeCheckerOptions;

  constructor(options: UptimeCheckerOptions) {
    this.#options = options;
  }

  /** Checks every target, a few at a time, those checked longest ago first. */
  async checkAll(signal: AbortSignal): Promise<{ checked: number; down: number }> {
    const { store, summaries, logger } = this.#options;
    const queue = await store.listByLastCheck();
    let checked = 0;
    let down = 0;

    const worker = async () => {
      for (let target = queue.shift(); target && !signal.aborted; target = queue.shift()) {
        const result = await this.check(target, signal);
        if (!result) {
          return;
        }
        await store.addResult(target.id, result);
        await summaries.refresh(target.id);
        checked += 1;
        if (result.status === 'down') {
          down += 1;
          logger.warn('Uptime target is down', { targetId: target.id, url: target.url, ...result });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));

    if (!signal.aborted) {
      await store.pruneResults(new Date(Date.now() - RETENTION_MS));
    }
    const level = checked > 0 || signal.aborted ? 'info' : 'debug';
    logger[level]('Uptime check finished', { checked, down, aborted: signal.aborted });
    return { checked, down };
  }

  /**
   * Requests one target with GET, without following redirects (a redirect could lead to a host
   * that is not allowed). 2xx and 3xx count as up. Returns undefined when `signal` aborted the
   * check, since that says nothing about the target.
   */
  async check(target: Target, signal: AbortSignal): Promise<CheckResult | undefined> {
    const { policy, requestTimeoutMs } = this.#options;
    const checkedAt = new Date().toISOString();
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);

    try {
      // Checked again on every run: the config may have changed, and DNS may now point elsewhere.
      const url = new URL(target.url);
      await policy.assertAllowed(url);
      const response = await fetch(url, {
        method: 'GET',
        redirect: 'manual',
        headers: { 'user-agent': USER_AGENT },
        signal: AbortSignal.any([signal, AbortSignal.timeout(requestTimeoutMs)]),
      });
      const latencyMs = elapsed();
      await response.body?.cancel();
      return {
        checkedAt,
        status: response.status < 400 ? 'up' : 'down',
        statusCode: response.status,
        latencyMs,
      };
    } catch (error) {
      if (signal.aborted) {
        return undefined;
      }
      return {
        checkedAt,
        status: 'down',
        latencyMs: elapsed(),
        error: describe(error, requestTimeoutMs),
      };
    }
  }
}

/** A short reason for a failed check: the timeout, the network error code, or the policy refusal. */
function describe(error: unknown, requestTimeoutMs: number): string {
  const { name, message, cause } = error as Error & { cause?: { code?: string; message?: string } };
  if (name === 'TimeoutError') {
    return `No response within ${requestTimeoutMs} ms`;
  }
  if (name === 'NotAllowedError') {
    return message;
  }
  if (cause?.message) {
    return cause.code && !cause.message.includes(cause.code)
      ? `${cause.code}: ${cause.message}`
      : cause.message;
  }
  return message;
}
