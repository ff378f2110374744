import { isObjectLike } from '../types';

/** Says in a few words what a value is, for error messages: `a string 'x'`, `undefined`. */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) {
    return String(value);
  }
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return `a string '${shown}'`;
  }
  if (typeof value === 'function') {
    return value.name ? `a function named '${value.name}'` : 'an anonymous function';
  }
  if (Array.isArray(value)) {
    return `an array of ${value.length} item(s)`;
  }
  if (isObjectLike(value)) {
    const type = (value as { $$type?: unknown }).$$type;
    if (typeof type === 'string') {
      return `an object with $$type '${type}'`;
    }
    const keys = Object.keys(value).slice(0, 5);
    return keys.length === 0
      ? 'an empty object'
      : `an object with keys ${keys.map(k => `'${k}'`).join(', ')}`;
  }
  return `a ${typeof value} ${String(value)}`;
}
