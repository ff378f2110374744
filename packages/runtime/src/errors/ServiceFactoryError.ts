import { BackplaneError, describeError } from './BackplaneError';

/** Options for {@link ServiceFactoryError}. */
export interface ServiceFactoryErrorOptions {
  serviceId: string;
  /** The plugin the service was created for; absent for root services and root contexts. */
  pluginId?: string;
  /** Which call threw: the factory itself, or its `createRootContext`. */
  step: 'factory' | 'rootContext';
  cause: unknown;
}

/**
 * `BACKPLANE_SERVICE_FACTORY_FAILED`: a service factory, or its `createRootContext`, threw. Such
 * a failure usually comes from configuration every plugin shares, so the startup report lists
 * the plugins it stopped under one entry, keyed by {@link ServiceFactoryError.causeKey}.
 */
export class ServiceFactoryError extends BackplaneError {
  readonly serviceId: string;
  readonly pluginId: string | undefined;
  readonly step: 'factory' | 'rootContext';
  /** The same for every plugin that failed on the same service for the same reason. */
  readonly causeKey: string;
  /** The message without the code and without the plugin id, for a report naming the plugins. */
  readonly sharedDetail: string;

  constructor(options: ServiceFactoryErrorOptions) {
    const { serviceId: id, pluginId, step, cause } = options;
    const reason = describeError(cause);
    const rooted = step === 'rootContext';
    const target = rooted
      ? `the root context of service '${id}'`
      : `${pluginId === undefined ? 'root ' : ''}service '${id}'`;
    // A cause that names what is wrong (a config key, a file, a port, in quotes) says its own fix;
    // only a bare cause, such as a driver's "connection refused", gets the generic pointer.
    const fix = /'[^']+'/.test(reason)
      ? ''
      : ` Fix the ${rooted ? 'createRootContext' : 'factory'} of '${id}' ` +
        'or the configuration it reads.';
    const describe = (forWhom: string) => `Creating ${target}${forWhom} failed: ${reason}.${fix}`;
    const forPlugin = !rooted && pluginId !== undefined ? ` for plugin '${pluginId}'` : '';
    super('BACKPLANE_SERVICE_FACTORY_FAILED', describe(forPlugin), { cause });
    this.serviceId = id;
    this.pluginId = pluginId;
    this.step = step;
    this.causeKey = [step, id, reason].join('\u0000');
    this.sharedDetail = describe('');
  }
}
