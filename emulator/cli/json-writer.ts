const CHUNK_CHARS = 1 << 16;

/**
 * Writes `{ ...fields, [arrayKey]: [...items] }` exactly as JSON.stringify(value, null, 2)
 * would, but the items one at a time: no single string holds the whole document, so a
 * long array (the console lines) cannot overflow V8's string length.
 */
export function writeJsonWithArray(write: (text: string) => void, fields: object, arrayKey: string,
                                   items: Iterable<string>): void {
  const head = JSON.stringify(fields, null, 2);
  // `{\n  ...\n}` without its closing line, or `{` for an empty object.
  const open = head === '{}' ? '{' : `${head.slice(0, -2)},`;
  let out = `${open}\n  ${JSON.stringify(arrayKey)}: [`;
  let first = true;
  for (const item of items) {
    out += `${first ? '' : ','}\n    ${JSON.stringify(item)}`;
    first = false;
    if (out.length >= CHUNK_CHARS) {
      write(out);
      out = '';
    }
  }
  write(`${out}${first ? ']' : '\n  ]'}\n}\n`);
}
