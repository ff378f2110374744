import { parseAllowedHost } from '../config/parseAllowedHost';
import { HostPolicy } from './HostPolicy';
import type { HostLookup } from './HostPolicy';

function policy(entries: string[], lookup?: HostLookup) {
  return new HostPolicy({
    allowedHosts: entries.map((entry, i) => parseAllowedHost(entry, `uptime.allowedHosts[${i}]`)),
    lookup,
  });
}

const publicLookup: HostLookup = async () => [{ address: '93.184.215.14', family: 4 }];

describe('HostPolicy', () => {
  it('should refuse every URL when uptime.allowedHosts is empty, naming the fix', async () => {
    await expect(policy([]).assertAllowed(new URL('https://example.com/health'))).rejects.toThrow(
      "Watching 'https://example.com/health' is not allowed: no entry of 'uptime.allowedHosts' " +
        "matches 'example.com'. To allow it, add 'example.com' to 'uptime.allowedHosts' in app-config.yaml.",
    );
  });

  it('should allow a host listed exactly, on the default ports only unless a port is listed', async () => {
    const hosts = policy(['status.example.com', 'api.example.com:8443']);

    await hosts.assertAllowed(new URL('http://status.example.com/'));
    await hosts.assertAllowed(new URL('https://STATUS.example.com/health'));
    await hosts.assertAllowed(new URL('https://api.example.com:8443/ping'));
    await expect(hosts.assertAllowed(new URL('http://status.example.com:8080/'))).rejects.toThrow(
      "no entry of 'uptime.allowedHosts' matches 'status.example.com:8080'",
    );
    await expect(hosts.assertAllowed(new URL('https://api.example.com/'))).rejects.toThrow(
      "matches 'api.example.com'",
    );
  });

  it('should let an exact entry reach a loopback or private address', async () => {
    const hosts = policy(['127.0.0.1:8080', 'status.internal']);

    await hosts.assertAllowed(new URL('http://127.0.0.1:8080/health'));
    await hosts.assertAllowed(new URL('http://status.internal/'));
  });

  it.each([
    ['http://127.0.0.1/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://2130706433/', '127.0.0.1'],
    ['http://[::1]/', '::1'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1'],
    ['http://10.1.2.3/', '10.1.2.3'],
    ['http://172.20.0.1/', '172.20.0.1'],
    ['http://192.168.1.1/', '192.168.1.1'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['http://0.0.0.0/', '0.0.0.0'],
    ['http://[fd00::1]/', 'fd00::1'],
    ['http://[fe80::1]/', 'fe80::1'],
  ])('should refuse %s through the wildcard entry', async (url, address) => {
    await expect(policy(['*']).assertAllowed(new URL(url))).rejects.toThrow(
      `resolves to ${address}, a loopback, private or internal address, and only the wildcard ` +
        `entry '*' of 'uptime.allowedHosts' matches it.`,
    );
  });

  it('should resolve host names and refuse one that points at the local host', async () => {
    await expect(policy(['*']).assertAllowed(new URL('http://localhost/'))).rejects.toThrow(
      "Watching 'http://localhost/' is not allowed: host 'localhost' resolves to 127.0.0.1, a " +
        "loopback, private or internal address, and only the wildcard entry '*' of " +
        "'uptime.allowedHosts' matches it. To watch an internal service, list 'localhost' in " +
        "'uptime.allowedHosts' explicitly.",
    );
    const rebinding: HostLookup = async () => [
      { address: '93.184.215.14', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ];
    await expect(
      policy(['*.example.com'], rebinding).assertAllowed(new URL('https://a.example.com/')),
    ).rejects.toThrow("host 'a.example.com' resolves to 10.0.0.7");
  });

  it('should allow a public host through a wildcard entry, subdomains only for *.domain', async () => {
    await policy(['*'], publicLookup).assertAllowed(new URL('https://example.com/'));
    await policy(['*.example.com'], publicLookup).assertAllowed(new URL('https://a.example.com/'));
    await expect(
      policy(['*.example.com'], publicLookup).assertAllowed(new URL('https://example.com/')),
    ).rejects.toThrow("no entry of 'uptime.allowedHosts' matches 'example.com'");
    await expect(
      policy(['*.example.com'], publicLookup).assertAllowed(new URL('https://badexample.com/')),
    ).rejects.toThrow("no entry of 'uptime.allowedHosts' matches 'badexample.com'");
  });

  it('should refuse a wildcard host that cannot be resolved', async () => {
    const failing: HostLookup = async () => {
      throw new Error('getaddrinfo ENOTFOUND nope.example.com');
    };
    await expect(
      policy(['*'], failing).assertAllowed(new URL('https://nope.example.com/')),
    ).rejects.toThrow(
      "Watching 'https://nope.example.com/' is not allowed: host 'nope.example.com' could not be " +
        'resolved to check that it is public (getaddrinfo ENOTFOUND nope.example.com). Fix the host ' +
        "name, or list 'nope.example.com' in 'uptime.allowedHosts' explicitly to skip the check.",
    );
  });
});
