import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonObject, JsonValue } from '@backplane/plugin-api';

/**
 * The part of JSON Schema that {@link findSchemaSecrets} follows: `properties`,
 * `additionalProperties` and `items` lead to a key, `visibility: secret` marks it.
 */
export interface SecretConfigSchema {
  visibility?: string;
  properties?: Record<string, SecretConfigSchema>;
  additionalProperties?: SecretConfigSchema | boolean;
  items?: SecretConfigSchema;
}

let defaultsSchema: SecretConfigSchema | undefined;

/**
 * The config schema `@backplane/defaults` ships as `config.schema.json` (named by `configSchema`
 * in its package.json), which marks the secret keys Backplane reads. Read once, on first use.
 */
export function readDefaultsConfigSchema(): SecretConfigSchema {
  // The file sits at the package root, two levels above both src/rootConfig and dist/rootConfig.
  defaultsSchema ??= JSON.parse(
    readFileSync(join(__dirname, '..', '..', 'config.schema.json'), 'utf8'),
  ) as SecretConfigSchema;
  return defaultsSchema;
}

/**
 * Lists the strings of `value` that sit at a key the schema marks `visibility: secret`: the
 * whole string for a string value, every string inside for an array of strings. An object at
 * a secret key is walked like any other, so only its own secret keys count.
 */
export function findSchemaSecrets(
  schema: SecretConfigSchema,
  value: JsonValue | undefined,
): string[] {
  const found: string[] = [];

  const visit = (node: SecretConfigSchema | undefined, item: JsonValue | undefined) => {
    if (!node || item === undefined || item === null) {
      return;
    }
    if (typeof item === 'string') {
      if (node.visibility === 'secret') found.push(item);
      return;
    }
    if (Array.isArray(item)) {
      for (const element of item) {
        visit(typeof element === 'string' && !node.items ? node : node.items, element);
      }
      return;
    }
    if (typeof item === 'object') {
      for (const [key, child] of Object.entries(item as JsonObject)) {
        const additional = node.additionalProperties;
        visit(
          node.properties?.[key] ?? (typeof additional === 'object' ? additional : undefined),
          child,
        );
      }
    }
  };

  visit(schema, value);
  return found;
}
