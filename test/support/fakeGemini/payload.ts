// Reads a JSON payload the way the API's proto-JSON parser does: camelCase or snake_case names,
// null for "not set", and every unknown name collected as a violation.
import type { FieldViolation } from './errors';

export type Fields = Map<string, unknown>;

export function toCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function toSnake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  const cut = text.length > 40 ? `${text.slice(0, 40)}...` : text;
  return typeof value === 'string' ? JSON.stringify(cut) : cut;
}

export class PayloadReader {
  readonly violations: FieldViolation[] = [];

  unknownName(name: string, path: string): void {
    const where = path ? ` at '${path}'` : '';
    this.violations.push({ field: path ? `${path}.${name}` : name, description: `Invalid JSON payload received. Unknown name "${name}"${where}: Cannot find field.` });
  }

  invalidValue(path: string, type: string, value: unknown): void {
    this.violations.push({ field: path, description: `Invalid value at '${path}' (${type}), ${shown(value)}` });
  }

  /** An object's known fields by camelCase name; unknown names become violations. */
  object(value: unknown, path: string, allowed: readonly string[], type = 'TYPE_MESSAGE'): Fields | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.invalidValue(path, type, value);
      return undefined;
    }
    const fields: Fields = new Map();
    for (const [name, v] of Object.entries(value)) {
      const camel = toCamel(name);
      if (!allowed.includes(camel)) this.unknownName(name, path);
      else if (v !== null) fields.set(camel, v);
    }
    return fields;
  }

  array(value: unknown, path: string, type: string): unknown[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) {
      this.invalidValue(path, type, value);
      return undefined;
    }
    return value;
  }

  string(value: unknown, path: string): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      this.invalidValue(path, 'TYPE_STRING', value);
      return undefined;
    }
    return value;
  }

  number(value: unknown, path: string, type: 'TYPE_FLOAT' | 'TYPE_INT32'): number | undefined {
    if (value === undefined) return undefined;
    // Proto JSON also takes numbers written as strings.
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n) || (type === 'TYPE_INT32' && !Number.isInteger(n))) {
      this.invalidValue(path, type, value);
      return undefined;
    }
    return n;
  }

  boolean(value: unknown, path: string): boolean | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') {
      this.invalidValue(path, 'TYPE_BOOL', value);
      return undefined;
    }
    return value;
  }

  /** Proto `bytes`: standard or URL-safe base64, padding optional. */
  bytes(value: unknown, path: string): Buffer | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(value) || value.replace(/=+$/, '').length % 4 === 1) {
      this.violations.push({ field: path, description: `Invalid value at '${path}' (TYPE_BYTES), Base64 decoding failed for ${shown(value)}` });
      return undefined;
    }
    return Buffer.from(value, value.includes('-') || value.includes('_') ? 'base64url' : 'base64');
  }

  enumValue(value: unknown, path: string, type: string, allowed: readonly string[]): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !allowed.includes(value)) {
      this.invalidValue(path, `type.googleapis.com/google.ai.generativelanguage.v1beta.${type}`, value);
      return undefined;
    }
    return value;
  }
}
