import { z } from 'zod';

// Building blocks of the image schema whose errors zod alone words poorly: an unknown
// field gets a "did you mean", a value of two forms is checked against the form its
// type picks, and a record keeps every key JSON gave it (a plain object drops
// `__proto__`, which is a valid symbol name).

/** Edits (insert, delete, substitute) turning `a` into `b`. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The known field `key` was most likely meant as, if one is close enough. */
function closestField(key: string, known: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(key.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(key.toLowerCase(), name.toLowerCase());
    if (distance <= limit && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** A strict object whose unknown-field error suggests the field meant. */
export function strictFields<Shape extends z.ZodRawShape>(shape: Shape) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      return issue.keys.map((key) => {
        const meant = closestField(key, known);
        return `Unrecognized key: ${JSON.stringify(key)}${meant ? ` (did you mean ${JSON.stringify(meant)}?)` : ''}`;
      }).join('; ');
    },
  });
}

function parseInto<T extends z.ZodType>(schema: T, value: unknown, path: PropertyKey[], ctx: z.RefinementCtx): z.output<T> | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    ctx.addIssue({ code: 'custom', message: issue.message, path: [...path, ...issue.path] });
  }
  return undefined;
}

/** A value given as a string (`string`) or as anything else (`other`, an object form). */
export function stringOr<S extends z.ZodType, O extends z.ZodType>(string: S, other: O) {
  return z.unknown().transform((value, ctx): z.output<S> | z.output<O> =>
    (typeof value === 'string' ? parseInto(string, value, [], ctx) : parseInto(other, value, [], ctx)) ?? z.NEVER);
}

/** A JSON object of symbol names to values, as a Map, so that no name is special. */
export function symbolRecord<V extends z.ZodType>(key: z.ZodType<string>, value: V) {
  return z.unknown().default({}).transform((input, ctx) => {
    const result = new Map<string, z.output<V>>();
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      ctx.addIssue({ code: 'custom', message: `expected an object of symbol names, received ${Array.isArray(input) ? 'array' : typeof input}` });
      return result;
    }
    for (const [name, entry] of Object.entries(input)) {
      if (!key.safeParse(name).success) {
        ctx.addIssue({ code: 'custom', message: `${JSON.stringify(name)} is not a symbol name`, path: [name] });
        continue;
      }
      const parsed = parseInto(value, entry, [name], ctx);
      if (parsed !== undefined) result.set(name, parsed);
    }
    return result;
  });
}
