import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Permission to add and delete the URLs the uptime plugin watches. Policies decide it for users;
 * `GET /targets` and the badges need no permission.
 */
export const uptimeTargetManagePermission = createPermission({
  name: 'uptime.target.manage',
  attributes: {},
});

/** Every permission of the uptime plugin, as registered with the permissions registry. */
export const uptimePermissions = [uptimeTargetManagePermission];
