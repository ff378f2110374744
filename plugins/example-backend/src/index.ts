export { examplePlugin as default } from './plugin';
export { createRouter } from './service/router';
export type { RouterOptions } from './service/router';
