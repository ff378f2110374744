/**
 * Run as `node --conditions=source --import tsx staticTokenProbe.ts` by `staticToken.test.ts`:
 * builds a plugin's auth service through the real factory, authenticates static tokens and then a
 * JWT, and prints as JSON what happened and whether `jose` was loaded after each step.
 */
import { register } from 'node:module';

// `jose` is loaded with import(), which require.cache does not show, so a resolve hook watches
// every ESM resolution and answers the special specifier `jose-probe:<n>` with what it saw.
const HOOKS = `
let joseLoaded = false;
export async function resolve(specifier, context, nextResolve) {
  if (specifier.startsWith('jose-probe:')) {
    const url = 'data:text/javascript,export default ' + joseLoaded + ';//' + specifier;
    return { url, shortCircuit: true };
  }
  const result = await nextResolve(specifier, context);
  if (result.url.includes('/node_modules/jose/')) {
    joseLoaded = true;
  }
  return result;
}
`;

let probes = 0;

async function isJoseLoaded(): Promise<boolean> {
  const required = Object.keys(require.cache).some(path => path.includes('/node_modules/jose/'));
  const specifier = `jose-probe:${++probes}`;
  const imported = ((await import(specifier)) as { default: boolean }).default;
  return required || imported;
}

async function attempt<T>(run: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await run();
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function part(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

async function main() {
  register(`data:text/javascript,${encodeURIComponent(HOOKS)}`);
  // Loaded only now, so that the hook sees every import the auth modules make.
  const services: typeof import('./services') = require('./services');
  const { createTestAuth, createTestConfig, createTestDiscovery, createTestLogger } = services;

  const config = createTestConfig({
    backend: {
      auth: {
        externalAccess: [
          { type: 'jwks', options: { url: 'http://127.0.0.1:1/jwks.json' } },
          { type: 'legacy', options: { secret: 'c2VjcmV0LXNlY3JldA==', subject: 'legacy' } },
          { type: 'static', options: { token: 'static-token-1234', subject: 'smoke-tests' } },
          { type: 'static', options: { token: 'dotted.static.token', subject: 'dotted' } },
        ],
      },
    },
  });
  const auth = await createTestAuth({
    pluginId: 'catalog',
    config,
    logger: createTestLogger(),
    discovery: createTestDiscovery(() => 'http://127.0.0.1:1'),
    database: {
      getClient: async () => {
        throw new Error('The probe must not open the plugin database');
      },
    },
  });
  const loadedAtStart = await isJoseLoaded();

  const subject = (result: unknown) =>
    (result as { principal?: { subject?: string } }).principal?.subject ?? result;
  const staticToken = subject(await attempt(() => auth.authenticate('static-token-1234')));
  const dottedToken = subject(await attempt(() => auth.authenticate('dotted.static.token')));
  const unknownToken = await attempt(() => auth.authenticate('not-a-configured-token'));
  const loadedAfterStatic = await isJoseLoaded();

  const pluginToken = `${part({ typ: 'vnd.backstage.plugin', alg: 'ES256' })}.${part({
    sub: 'scaffolder',
    aud: 'search',
  })}.c2ln`;
  const jwt = await attempt(() => auth.authenticate(pluginToken));
  const loadedAfterJwt = await isJoseLoaded();

  process.stdout.write(
    JSON.stringify({
      loadedAtStart,
      staticToken,
      dottedToken,
      unknownToken,
      loadedAfterStatic,
      jwt,
      loadedAfterJwt,
    }),
  );
}

main().catch(error => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exitCode = 1;
});
