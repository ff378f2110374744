/**
 * Every stable code the runtime puts in its error messages, with a one-line meaning.
 * `docs/wiring.md` documents each one; a test keeps the two in step.
 */
export const backplaneErrorCodes = {
  BACKPLANE_INVALID_WIRING: 'The wiring check found problems; nothing was started.',
  BACKPLANE_INVALID_FEATURE:
    'A value passed to backend.add() or returned by a loader is not a feature.',
  BACKPLANE_INVALID_REGISTRATION: "A plugin or module's registrations could not be read.",
  BACKPLANE_INVALID_ID: 'A plugin or module id does not follow the id rules.',
  BACKPLANE_INVALID_DEPENDENCY: 'A dependency is not a service ref or extension point.',
  BACKPLANE_MISSING_DEPENDENCY:
    'A plugin, module, factory or loader depends on something nobody provides.',
  BACKPLANE_DEPENDENCY_CYCLE: 'Service factories depend on each other in a cycle.',
  BACKPLANE_DUPLICATE_PLUGIN: 'Two plugins have the same plugin id.',
  BACKPLANE_DUPLICATE_MODULE: 'Two modules have the same plugin id and module id.',
  BACKPLANE_DUPLICATE_SERVICE_FACTORY: 'Two factories provide the same singleton service.',
  BACKPLANE_RESERVED_SERVICE: 'A factory was added for a service the runtime provides itself.',
  BACKPLANE_ROOT_SCOPE_DEPENDENCY:
    'A root factory or a feature loader depends on a plugin-scoped service.',
  BACKPLANE_EXTENSION_POINT_IN_PLUGIN_INIT: "A plugin's own init depends on an extension point.",
  BACKPLANE_FOREIGN_EXTENSION_POINT: "A module depends on another plugin's extension point.",
  BACKPLANE_DUPLICATE_EXTENSION_POINT: 'Two registrations provide the same extension point id.',
  BACKPLANE_MODULE_WITHOUT_PLUGIN: 'A module was added for a plugin that was not added.',
  BACKPLANE_MODULE_CYCLE: "Modules of one plugin use each other's extension points in a cycle.",
  BACKPLANE_LOADED_SERVICE_TOO_LATE: 'A loader provided a service that was already created.',
  BACKPLANE_ADD_AFTER_START: 'backend.add() was called after backend.start().',
  BACKPLANE_ALREADY_STARTED: 'backend.start() was called twice, or after backend.stop().',
  BACKPLANE_FEATURE_LOADER_FAILED: 'A feature loader threw.',
  BACKPLANE_SERVICE_FACTORY_FAILED: 'A service factory threw while creating its service.',
  BACKPLANE_INVALID_STARTUP_CONFIG: 'A backend.startup boot-failure setting has a bad value.',
  BACKPLANE_LIFECYCLE_PROTOCOL: 'A lifecycle service lacks the methods the runtime drives it with.',
  BACKPLANE_STARTUP_FAILED: 'One or more plugins failed to start.',
  BACKPLANE_PLUGIN_STARTUP_FAILED: 'A plugin init, or a service it needed, threw.',
  BACKPLANE_MODULE_STARTUP_FAILED: 'A module init threw or was reported as failed.',
  BACKPLANE_SHUTDOWN_FAILED: 'A lifecycle shutdown step threw during backend.stop().',
} as const;

/** A stable error code of the runtime. */
export type BackplaneErrorCode = keyof typeof backplaneErrorCodes;
