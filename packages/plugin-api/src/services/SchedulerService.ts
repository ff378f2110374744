/** A duration as an object, like `{ minutes: 5 }`. */
export type HumanDuration = {
  years?: number;
  months?: number;
  weeks?: number;
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
  milliseconds?: number;
};

/** When and how a task runs. */
export interface SchedulerServiceTaskScheduleDefinition {
  /** A cron expression `{ cron }`, a duration object, an ISO duration string, or `{ trigger: 'manual' }`. */
  frequency: { cron: string } | HumanDuration | string | { trigger: 'manual' };
  timeout: HumanDuration | string;
  initialDelay?: HumanDuration | string;
  /** `global` (default): one run per slot across all replicas. `local`: each replica runs it. */
  scope?: 'global' | 'local';
}

/** The function a task runs. */
export type SchedulerServiceTaskFunction = (abortSignal: AbortSignal) => void | Promise<void>;

/** One invocation of a runner. */
export interface SchedulerServiceTaskInvocationDefinition {
  id: string;
  fn: SchedulerServiceTaskFunction;
  signal?: AbortSignal;
}

/** A runner bound to a schedule. */
export interface SchedulerServiceTaskRunner {
  run(task: SchedulerServiceTaskInvocationDefinition): Promise<void>;
}

/** A scheduled task as reported by {@link SchedulerService.getScheduledTasks}. */
export interface SchedulerServiceTaskDescriptor {
  id: string;
  scope: 'global' | 'local';
  settings: { version: number } & Record<string, unknown>;
}

/** Runs background work on a schedule, coordinated across replicas. */
export interface SchedulerService {
  triggerTask(id: string): Promise<void>;
  cancelTask?(id: string): Promise<void>;
  scheduleTask(
    task: SchedulerServiceTaskScheduleDefinition & SchedulerServiceTaskInvocationDefinition,
  ): Promise<void>;
  createScheduledTaskRunner(
    schedule: SchedulerServiceTaskScheduleDefinition,
  ): SchedulerServiceTaskRunner;
  getScheduledTasks(): Promise<SchedulerServiceTaskDescriptor[]>;
}
