export { schedulerServiceFactory } from './schedulerServiceFactory';
export { DefaultSchedulerService } from './DefaultSchedulerService';
export type { DefaultSchedulerServiceOptions } from './DefaultSchedulerService';
export { createSchedulerRouter } from './createSchedulerRouter';
export { TASKS_TABLE } from './TaskStore';
export type { TaskApiTask, TaskApiTaskState, TaskApiWorkerState } from './types';
