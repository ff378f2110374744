/** A failure recorded for a plugin or module during start. */
export interface StartupFailure {
  error: Error;
  /** True when config said to continue without the plugin or module. */
  allowed: boolean;
}

/** How one module started. */
export interface ModuleStartupResult {
  moduleId: string;
  beginAt: Date;
  resultAt: Date;
  durationMs: number;
  failure?: StartupFailure;
}

/** How one plugin started: its 'always' services, modules, init and lifecycle startup hooks. */
export interface PluginStartupResult {
  pluginId: string;
  beginAt: Date;
  resultAt: Date;
  durationMs: number;
  failure?: StartupFailure;
  modules: ModuleStartupResult[];
}

/** What `backend.start()` resolves with (as `result`), and what a startup error carries. */
export interface BackendStartupResult {
  beginAt: Date;
  resultAt: Date;
  durationMs: number;
  /** `failure` when a plugin or module failed and config did not allow it. */
  outcome: 'success' | 'failure';
  plugins: PluginStartupResult[];
}

/**
 * Thrown by `backend.start()` when plugins or modules failed to start and config did not allow
 * it. `result` describes every plugin's outcome; `cause` is the failure (an AggregateError when
 * several plugins failed).
 */
export class BackendStartupError extends Error {
  readonly code = 'BACKPLANE_STARTUP_FAILED' as const;
  readonly result: BackendStartupResult;

  constructor(result: BackendStartupResult) {
    const failures = result.plugins.flatMap(p =>
      p.failure && !p.failure.allowed ? [p.failure.error] : [],
    );
    const count = failures.length === 1 ? '1 plugin' : `${failures.length} plugins`;
    const header = `BACKPLANE_STARTUP_FAILED: Backend startup failed; ${count} failed to start:`;
    const lines = failures.map(error => `  - ${error.message}`);
    const cause =
      failures.length === 1
        ? failures[0]
        : new AggregateError(failures, `${failures.length} plugins failed to start`);
    super([header, ...lines].join('\n'), { cause });
    this.name = 'BackendStartupError';
    this.result = result;
  }
}
