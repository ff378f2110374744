import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup } from 'node:dns/promises';
import { NotAllowedError } from '@backplane/plugin-api';
import type { AllowedHost } from '../config/parseAllowedHost';

/** Resolves a host name to its addresses, like `dns.promises.lookup(host, { all: true })`. */
export type HostLookup = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

/**
 * Addresses a check must not reach through a wildcard entry: loopback, private, link-local,
 * shared, multicast, reserved and the IPv6 forms that embed an IPv4 address. IPv4-mapped IPv6
 * addresses (`::ffff:127.0.0.1`) are matched against the IPv4 ranges by `BlockList` itself.
 */
const INTERNAL_ADDRESSES = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", 0.0.0.0 reaches the local host
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved and broadcast
] as const) {
  INTERNAL_ADDRESSES.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128],
  ['64:ff9b::', 96], // NAT64
  ['64:ff9b:1::', 48],
  ['2001::', 32], // Teredo
  ['2002::', 16], // 6to4
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  INTERNAL_ADDRESSES.addSubnet(network, prefix, 'ipv6');
}

/** Options for {@link HostPolicy}. */
export interface HostPolicyOptions {
  /** The parsed entries of `uptime.allowedHosts`. */
  allowedHosts: AllowedHost[];
  /** Resolves host names; `dns.promises.lookup` by default. */
  lookup?: HostLookup;
}

/**
 * Decides which URLs the plugin may request, so that users cannot turn the backend into a proxy
 * into its own network (server-side request forgery).
 *
 * A URL must match an entry of `uptime.allowedHosts`. An entry that names the host exactly is
 * trusted wherever the host resolves. A wildcard entry (`*`, `*.example.com`) only reaches public
 * addresses: the host is resolved and refused if any address is loopback, private or otherwise
 * internal.
 */
export class HostPolicy {
  readonly #allowedHosts: AllowedHost[];
  readonly #lookup: HostLookup;

  constructor(options: HostPolicyOptions) {
    this.#allowedHosts = options.allowedHosts;
    this.#lookup =
      options.lookup ?? (hostname => dnsLookup(hostname, { all: true, verbatim: true }));
  }

  /** Throws `NotAllowedError`, naming the URL, the config key and the fix, unless `url` may be checked. */
  async assertAllowed(url: URL): Promise<void> {
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    const hostWithPort = url.port ? url.host : url.hostname;
    const entry = this.#allowedHosts.find(
      allowed => matchesHost(allowed, url.hostname) && matchesPort(allowed, port),
    );
    if (!entry) {
      throw new NotAllowedError(
        `Watching '${url.href}' is not allowed: no entry of 'uptime.allowedHosts' matches ` +
          `'${hostWithPort}'. To allow it, add '${hostWithPort}' to 'uptime.allowedHosts' in app-config.yaml.`,
      );
    }
    if (entry.kind === 'exact') {
      return;
    }

    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    let addresses: Array<{ address: string; family: number }>;
    try {
      addresses = isIP(hostname)
        ? [{ address: hostname, family: isIP(hostname) }]
        : await this.#lookup(hostname);
    } catch (error) {
      throw new NotAllowedError(
        `Watching '${url.href}' is not allowed: host '${hostname}' could not be resolved to check ` +
          `that it is public (${(error as Error).message}). Fix the host name, or list ` +
          `'${hostWithPort}' in 'uptime.allowedHosts' explicitly to skip the check.`,
        error,
      );
    }
    const internal = addresses.find(({ address, family }) =>
      INTERNAL_ADDRESSES.check(address, family === 6 ? 'ipv6' : 'ipv4'),
    );
    if (internal || addresses.length === 0) {
      throw new NotAllowedError(
        `Watching '${url.href}' is not allowed: host '${hostname}' resolves to ` +
          `${internal?.address ?? 'no address'}, a loopback, private or internal address, and ` +
          `only the wildcard entry '${entry.entry}' of 'uptime.allowedHosts' matches it. To watch ` +
          `an internal service, list '${hostWithPort}' in 'uptime.allowedHosts' explicitly.`,
      );
    }
  }
}

function matchesHost(allowed: AllowedHost, hostname: string): boolean {
  switch (allowed.kind) {
    case 'any':
      return true;
    case 'subdomains':
      return hostname.endsWith(`.${allowed.host}`);
    case 'exact':
      return hostname === allowed.host;
  }
}

/** An entry without a port allows the default ports of http and https; one with a port, that port. */
function matchesPort(allowed: AllowedHost, port: string): boolean {
  return allowed.port === '' ? port === '80' || port === '443' : allowed.port === port;
}
