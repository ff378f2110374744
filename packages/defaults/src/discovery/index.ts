export { discoveryServiceFactory } from './discoveryServiceFactory';
export { HostDiscovery, readListenAddress } from './HostDiscovery';
export type { HostDiscoveryOptions } from './HostDiscovery';
