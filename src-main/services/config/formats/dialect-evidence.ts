import { isJsonObject, type JsonObject } from '../json-values';

/** The name of the first server whose settings pass `test`, in file order. */
export function findServerWith(servers: JsonObject, test: (settings: JsonObject) => boolean): string | undefined {
  return Object.entries(servers).find(([, settings]) => isJsonObject(settings) && test(settings))?.[0];
}

/** The last part of a path, lower-cased, whichever separator the path uses: files are dragged in from any OS. */
export function basenameOf(path: string): string {
  return (path.split(/[\\/]/).pop() ?? '').toLowerCase();
}
