export { uptimePlugin as default, UPTIME_CHECK_TASK_ID } from './plugin';
export { uptimePermissions, uptimeTargetManagePermission } from './permissions';
export type { CheckResult, Target, TargetSummary } from './service/types';
