import type { JsonObject } from '@backplane/plugin-api';

/** The state of a task as the task endpoints report it. */
export type TaskApiTaskState =
  | {
      status: 'running';
      startedAt: string;
      timesOutAt?: string;
      lastRunError?: string;
      lastRunEndedAt?: string;
    }
  | {
      status: 'idle';
      startsAt?: string;
      lastRunError?: string;
      lastRunEndedAt?: string;
    };

/** What this replica's worker of a task is doing. */
export type TaskApiWorkerState = { status: 'initial-wait' | 'idle' | 'running' };

/** One entry of `GET /.backstage/scheduler/v1/tasks`. */
export interface TaskApiTask {
  taskId: string;
  pluginId: string;
  scope: 'global' | 'local';
  settings: { version: number } & JsonObject;
  taskState: TaskApiTaskState | null;
  workerState: TaskApiWorkerState | null;
}

/** The part of a worker the scheduler drives, for both scopes. */
export interface TaskWorker {
  readonly scope: 'global' | 'local';
  start(): void;
  /**
   * Stops the loop, aborts a running task with `reason` and releases its claim; resolves when done
   * (bounded). The reason defaults to an error saying the backend is shutting down.
   */
  stop(reason?: unknown): Promise<void>;
  workerState(): TaskApiWorkerState;
  /** Wakes the loop so it looks for work now. */
  wake(): void;
}
