import { InputError } from '@backplane/plugin-api';

/** A condition tree as the permission plugin sends it to `apply-conditions`. */
export type PermissionCriteria =
  | { allOf: PermissionCriteria[] }
  | { anyOf: PermissionCriteria[] }
  | { not: PermissionCriteria }
  | { rule: string; resourceType: string; params?: Record<string, unknown> };

/** One item of an `apply-conditions` request. */
export interface ApplyConditionsItem {
  id: string;
  resourceRef: string | string[];
  resourceType: string;
  conditions: PermissionCriteria;
}

const MAX_DEPTH = 32;
const MAX_ITEMS = 1000;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkCriteria(value: unknown, at: string, depth: number): PermissionCriteria {
  if (depth > MAX_DEPTH) {
    throw new InputError(`Invalid ${at}: conditions are nested deeper than ${MAX_DEPTH} levels`);
  }
  if (!isObject(value)) {
    throw new InputError(`Invalid ${at}: expected a condition object`);
  }
  for (const key of ['allOf', 'anyOf'] as const) {
    if (key in value) {
      const list = value[key];
      if (!Array.isArray(list) || list.length === 0) {
        throw new InputError(`Invalid ${at}.${key}: expected a non-empty array`);
      }
      list.forEach((child, i) => checkCriteria(child, `${at}.${key}[${i}]`, depth + 1));
      return value as PermissionCriteria;
    }
  }
  if ('not' in value) {
    checkCriteria(value.not, `${at}.not`, depth + 1);
    return value as PermissionCriteria;
  }
  if (typeof value.rule !== 'string' || typeof value.resourceType !== 'string') {
    throw new InputError(`Invalid ${at}: a condition needs string 'rule' and 'resourceType'`);
  }
  if (value.params !== undefined && !isObject(value.params)) {
    throw new InputError(`Invalid ${at}.params: expected an object`);
  }
  return value as PermissionCriteria;
}

/** Validates an `apply-conditions` request body; InputError naming the bad field otherwise. */
export function parseApplyConditionsRequest(body: unknown): ApplyConditionsItem[] {
  if (!isObject(body) || !Array.isArray(body.items)) {
    throw new InputError('Invalid request body: expected { items: [...] }');
  }
  if (body.items.length > MAX_ITEMS) {
    throw new InputError(`Invalid request body: at most ${MAX_ITEMS} items per request`);
  }
  return body.items.map((item, index) => {
    const at = `items[${index}]`;
    if (!isObject(item) || typeof item.id !== 'string' || typeof item.resourceType !== 'string') {
      throw new InputError(`Invalid ${at}: expected string 'id' and 'resourceType'`);
    }
    const ref = item.resourceRef;
    const refOk =
      typeof ref === 'string' ||
      (Array.isArray(ref) && ref.length > 0 && ref.every(r => typeof r === 'string'));
    if (!refOk) {
      throw new InputError(
        `Invalid ${at}.resourceRef: expected a string or a non-empty string array`,
      );
    }
    return {
      id: item.id,
      resourceType: item.resourceType,
      resourceRef: ref as string | string[],
      conditions: checkCriteria(item.conditions, `${at}.conditions`, 0),
    };
  });
}

/** Evaluates a condition tree against one resource; an unknown resource never matches. */
export function evaluateCriteria(
  criteria: PermissionCriteria,
  resource: unknown,
  applyRule: (name: string, resource: unknown, params: Record<string, unknown>) => boolean,
): boolean {
  if (resource === undefined) {
    return false;
  }
  if ('allOf' in criteria) {
    return criteria.allOf.every(child => evaluateCriteria(child, resource, applyRule));
  }
  if ('anyOf' in criteria) {
    return criteria.anyOf.some(child => evaluateCriteria(child, resource, applyRule));
  }
  if ('not' in criteria) {
    return !evaluateCriteria(criteria.not, resource, applyRule);
  }
  return applyRule(criteria.rule, resource, criteria.params ?? {});
}
