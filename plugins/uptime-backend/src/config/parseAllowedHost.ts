/** One entry of `uptime.allowedHosts`, parsed. */
export interface AllowedHost {
  /** The entry as written in config, for messages. */
  entry: string;
  /** `exact`: one host; `subdomains`: any host below `host`; `any`: every host. */
  kind: 'exact' | 'subdomains' | 'any';
  /** The host name as the URL parser normalises it (lowercase, punycode, dotted IPv4); '' for `any`. */
  host: string;
  /** The port the entry allows, or '' for the default ports of http and https (80 and 443). */
  port: string;
}

function invalid(key: string, entry: unknown, cause?: unknown): Error {
  return new Error(
    `Config '${key}' must be a host such as 'status.example.com', 'status.example.com:8080', ` +
      `'*.example.com' or '*', got ${JSON.stringify(entry)}.`,
    { cause },
  );
}

/**
 * Parses one entry of `uptime.allowedHosts`: a host with an optional `:port`, `*.` and a domain
 * for its subdomains, or `*` for every host. The host goes through the same URL parser as the
 * targets, so both compare in the same normal form.
 */
export function parseAllowedHost(entry: unknown, key: string): AllowedHost {
  if (typeof entry !== 'string' || entry.trim() === '' || /[/?#@\s\\]/.test(entry)) {
    throw invalid(key, entry);
  }

  // The port is split off by hand: the URL parser would drop an explicit ':80'.
  const [, hostPart, port = ''] = /^(.*?)(?::(\d{1,5}))?$/.exec(entry.trim()) ?? [];
  if (!hostPart || (port !== '' && (Number(port) < 1 || Number(port) > 65535))) {
    throw invalid(key, entry);
  }
  let url: URL;
  try {
    url = new URL(`http://${hostPart}`);
  } catch (error) {
    throw invalid(key, entry, error);
  }
  if (url.port !== '') {
    throw invalid(key, entry);
  }
  const allowedPort = port === '' ? '' : String(Number(port));

  if (url.hostname === '*') {
    return { entry, kind: 'any', host: '', port: allowedPort };
  }
  if (url.hostname.startsWith('*.')) {
    const domain = url.hostname.slice(2);
    if (domain === '' || domain.includes('*')) {
      throw invalid(key, entry);
    }
    return { entry, kind: 'subdomains', host: domain, port: allowedPort };
  }
  if (url.hostname.includes('*')) {
    throw invalid(key, entry);
  }
  return { entry, kind: 'exact', host: url.hostname, port: allowedPort };
}
