// Typed reads of a parsed source file. A wrong type is bad input, reported with the file and the key path so the
// user can find it; absent optional values read as undefined.
import { describePath, importError } from './source-error.js';

export type Path = readonly (string | number)[];
export type JsonObject = Record<string, unknown>;

export class SourceReader {
  constructor(readonly file: string) {}

  fail(path: Path, message: string): never {
    throw importError(this.file, path.length ? describePath(path) : null, message);
  }

  object(value: unknown, path: Path): JsonObject {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(path, 'expected an object');
    return value as JsonObject;
  }

  optionalObject(value: unknown, path: Path): JsonObject | undefined {
    return value === undefined || value === null ? undefined : this.object(value, path);
  }

  optionalString(value: unknown, path: Path): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') this.fail(path, 'expected a text');
    return value;
  }

  optionalNumber(value: unknown, path: Path): number | undefined {
    if (value === undefined || value === null) return undefined;
    // protobuf JSON writes 64-bit numbers as strings; YAML/TOML give numbers.
    const n = typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n)) this.fail(path, 'expected a number');
    return n;
  }

  /** A list of texts; resticprofile also allows one text where a list is meant. */
  strings(value: unknown, path: Path): string[] {
    if (value === undefined || value === null) return [];
    if (typeof value === 'string') return [value];
    if (!Array.isArray(value)) this.fail(path, 'expected a list of texts');
    return value.map((item, i) => {
      if (typeof item !== 'string') this.fail([...path, i], 'expected a text');
      return item;
    });
  }

  list(value: unknown, path: Path): unknown[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.fail(path, 'expected a list');
    return value;
  }
}
