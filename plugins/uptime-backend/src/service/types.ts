// Type aliases rather than interfaces, so that these values are JSON values for the cache.

/** A watched URL, as stored. */
export type Target = {
  id: number;
  url: string;
  name: string;
  createdBy: string;
  createdAt: string;
  lastCheckedAt?: string;
};

/** The outcome of one check. */
export type CheckResult = {
  checkedAt: string;
  status: 'up' | 'down';
  /** The HTTP status code; absent when no response came. */
  statusCode?: number;
  /** Milliseconds until the response headers came, or until the check failed. */
  latencyMs: number;
  /** Why the check failed, when it did. */
  error?: string;
};

/** A target with its latest result and its uptime over the last 24 hours. */
export type TargetSummary = Target & {
  /** `unknown` until the first check. */
  status: 'up' | 'down' | 'unknown';
  lastResult?: CheckResult;
  /** Share of checks in the last 24 hours that found it up, from 0 to 1; absent without checks. */
  uptime24h?: number;
};
