export { authDevPlugin as default, authDevPlugin, createAuthDevPlugin } from './plugin';
export type { AuthDevPluginOptions } from './plugin';
export { GUEST_USER_ENTITY_REF, ALLOW_CONFIG_KEY } from './router';
