import { InputError } from '@backplane/plugin-api';
import type { PermissionRule } from '@backplane/plugin-api';

type JsonSchema = Record<string, unknown>;

type StandardSchema = {
  '~standard': {
    validate(value: unknown): unknown;
    jsonSchema?: { input(options: { target: string }): JsonSchema };
  };
};

type ZodLike = {
  _def: { typeName?: string; [key: string]: unknown };
  safeParse(value: unknown): { success: boolean; error?: unknown };
};

function isStandardWithJsonSchema(schema: unknown): schema is StandardSchema {
  const standard = (schema as StandardSchema | undefined)?.['~standard'];
  return (
    typeof standard?.validate === 'function' && typeof standard.jsonSchema?.input === 'function'
  );
}

function isZodLike(schema: unknown): schema is ZodLike {
  return (
    typeof schema === 'object' &&
    schema !== null &&
    '_def' in schema &&
    typeof (schema as ZodLike).safeParse === 'function'
  );
}

/** Throws when a rule's `paramsSchema` cannot be described as JSON Schema. */
export function assertParamsSchema(rule: PermissionRule): void {
  if (
    rule.paramsSchema &&
    !isStandardWithJsonSchema(rule.paramsSchema) &&
    !isZodLike(rule.paramsSchema)
  ) {
    throw new Error(
      `Permission rule '${rule.name}' has a 'paramsSchema' that is neither a zod schema nor a Standard Schema with JSON Schema support`,
    );
  }
}

/** The JSON Schema of a rule's parameters, as the permission metadata endpoint publishes it. */
export function paramsSchemaToJsonSchema(rule: PermissionRule): JsonSchema {
  const schema = rule.paramsSchema;
  if (isStandardWithJsonSchema(schema)) {
    return schema['~standard'].jsonSchema!.input({ target: 'draft-07' });
  }
  const body = isZodLike(schema) ? zodToJsonSchema(schema) : emptyObjectSchema();
  return { ...body, $schema: 'http://json-schema.org/draft-07/schema#' };
}

/** Validates `params` against a rule's schema; InputError when they do not fit. */
export function validateParams(rule: PermissionRule, params: unknown): void {
  const schema = rule.paramsSchema;
  if (isStandardWithJsonSchema(schema)) {
    const result = schema['~standard'].validate(params) as { issues?: Array<{ message: string }> };
    if (result && typeof (result as unknown as Promise<unknown>).then === 'function') {
      throw new Error(
        `Permission rule '${rule.name}' has an async params schema, which is not supported`,
      );
    }
    if (result?.issues) {
      throw new InputError(
        `Invalid parameters for permission rule '${rule.name}': ${result.issues.map(issue => issue.message).join('; ')}`,
      );
    }
    return;
  }
  if (isZodLike(schema)) {
    const result = schema.safeParse(params);
    if (!result.success) {
      throw new InputError(`Invalid parameters for permission rule '${rule.name}'`, result.error);
    }
  }
}

function emptyObjectSchema(): JsonSchema {
  return { type: 'object', properties: {}, additionalProperties: false };
}

/** The JSON type name of a primitive zod schema, when it is one. */
function primitiveType(schema: ZodLike): string | undefined {
  return PRIMITIVES[schema._def.typeName ?? ''];
}

const PRIMITIVES: Record<string, string> = {
  ZodString: 'string',
  ZodNumber: 'number',
  ZodBoolean: 'boolean',
  ZodNull: 'null',
};

/**
 * A small converter for the zod (v3 API) types that permission rule parameters use, giving the
 * same output as `zod-to-json-schema` for them. Types it does not know become `{}`, which accepts
 * anything, so the published schema is never stricter than the rule itself.
 */
function zodToJsonSchema(schema: ZodLike): JsonSchema {
  const def = schema._def;
  const inner = (key: string) => zodToJsonSchema(def[key] as ZodLike);
  const described = (result: JsonSchema) =>
    typeof def.description === 'string' ? { ...result, description: def.description } : result;

  const primitive = primitiveType(schema);
  if (primitive) {
    return described({ type: primitive });
  }
  switch (def.typeName) {
    case 'ZodLiteral': {
      const type = typeof def.value;
      const known = type === 'string' || type === 'number' || type === 'boolean';
      return described(known ? { type, const: def.value } : { const: def.value });
    }
    case 'ZodEnum':
      return described({ type: 'string', enum: def.values });
    case 'ZodArray':
      return described({ type: 'array', items: inner('type') });
    case 'ZodOptional':
      return described(inner('innerType'));
    case 'ZodDefault':
      return described({ ...inner('innerType'), default: (def.defaultValue as () => unknown)() });
    case 'ZodNullable': {
      const type = primitiveType(def.innerType as ZodLike);
      return described(
        type ? { type: [type, 'null'] } : { anyOf: [inner('innerType'), { type: 'null' }] },
      );
    }
    case 'ZodUnion': {
      const options = def.options as ZodLike[];
      const types = options.map(primitiveType);
      return described(
        types.every(Boolean)
          ? { type: [...new Set(types)] }
          : { anyOf: options.map(zodToJsonSchema) },
      );
    }
    case 'ZodRecord':
      return described({ type: 'object', additionalProperties: inner('valueType') });
    case 'ZodObject': {
      const shape = (typeof def.shape === 'function' ? def.shape() : def.shape) as Record<
        string,
        ZodLike
      >;
      const properties: JsonSchema = {};
      const required: string[] = [];
      for (const [key, value] of Object.entries(shape)) {
        properties[key] = zodToJsonSchema(value);
        const kind = value._def.typeName;
        if (kind !== 'ZodOptional' && kind !== 'ZodDefault') {
          required.push(key);
        }
      }
      const result: JsonSchema = { type: 'object', properties };
      if (required.length > 0) {
        result.required = required;
      }
      result.additionalProperties = false;
      return described(result);
    }
    default:
      return described({});
  }
}
