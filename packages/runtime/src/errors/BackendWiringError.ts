import type { BackplaneErrorCode } from './errorCodes';

/** One problem found by the wiring check. */
export interface WiringProblem {
  code: BackplaneErrorCode;
  /** What is wrong, with ids in quotes, and the fix. */
  message: string;
  /** The error behind the problem, when there is one. */
  cause?: Error;
}

/**
 * Thrown by `backend.start()` when the wiring check finds problems. It lists every problem at
 * once; nothing was instantiated (except root services a feature loader needed to run).
 */
export class BackendWiringError extends Error {
  readonly code = 'BACKPLANE_INVALID_WIRING' as const;
  readonly problems: ReadonlyArray<WiringProblem>;

  constructor(allProblems: WiringProblem[]) {
    const seen = new Set<string>();
    const problems = allProblems.filter(p => {
      const key = `${p.code}: ${p.message}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    const lines = problems.map((p, i) => `  ${i + 1}. ${p.code}: ${p.message}`);
    const header = `BACKPLANE_INVALID_WIRING: The backend cannot start; the wiring check found ${count} and started nothing:`;
    const firstCause = problems.find(p => p.cause)?.cause;
    super([header, ...lines].join('\n'), firstCause ? { cause: firstCause } : undefined);
    this.name = 'BackendWiringError';
    this.problems = Object.freeze([...problems]);
  }
}
