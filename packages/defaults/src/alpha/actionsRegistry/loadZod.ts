import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The parts of zod and zod-to-json-schema that actions use. */
export interface ZodTools {
  /** The `zod/v3` namespace handed to action schema builders. */
  z: unknown;
  toJsonSchema(schema: unknown): Record<string, unknown>;
}

let cached: ZodTools | undefined;

function requireFrom(name: string): unknown {
  const bases = [join(process.cwd(), 'package.json'), __filename];
  let lastError: unknown;
  for (const base of bases) {
    try {
      return createRequire(base)(name);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/**
 * Loads zod (its `zod/v3` API, which action schemas are written against) and
 * zod-to-json-schema from the application, the first time an action schema is needed.
 */
export function loadZod(): ZodTools {
  if (cached) {
    return cached;
  }
  try {
    const zod = requireFrom('zod/v3') as { z: unknown };
    const converter = requireFrom('zod-to-json-schema') as {
      zodToJsonSchema(schema: unknown): Record<string, unknown>;
    };
    cached = { z: zod.z, toJsonSchema: schema => converter.zodToJsonSchema(schema) };
    return cached;
  } catch (error) {
    throw new Error(
      "Actions need the 'zod' (3.25 or later) and 'zod-to-json-schema' packages to read their " +
        'schemas; add them to the backend with npm install zod zod-to-json-schema',
      { cause: error },
    );
  }
}
