/**
 * Finds a data file shipped beside a module (the OpenAPI spec, the .proto files). tsc copies only
 * .ts output to dist/, so when running from dist/ the file is read from the matching src/ directory.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function dataFilePath(moduleUrl: string, relative: string): string {
  const here = fileURLToPath(new URL(relative, moduleUrl));
  if (existsSync(here)) return here;
  const fromSrc = here.replace(/([/\\])dist([/\\])/, '$1src$2');
  return existsSync(fromSrc) ? fromSrc : here;
}
