// A feature module that throws while it loads, like one with a runtime error at its top level.
export {};
throw new Error('the plugin module failed on purpose');
