import type { ServerEntry, UpstreamTransportKind } from '../../../src-shared/catalog';
import type { ConfigFormatId, ConfigProblem, InputDefinition, PlaceholderNeeds } from '../config';

/** A server the import would add, as read from one file. */
export interface PlannedEntry {
  /** Its name in the file (trimmed, as the catalog keeps names). */
  name: string;
  /** The file it comes from, as the caller named it. */
  file: string;
  transport: UpstreamTransportKind;
  /** For a stdio server. */
  command?: string;
  args?: string[];
  /** For a remote server, as written (placeholders kept). */
  url?: string;
  /** The url with every `${VAR:-default}` filled with its default (where it goes unless VAR is set); only when that differs. */
  urlWithDefaults?: string;
  disabled: boolean;
  /** Where in its file it was found, for a file with several places (Claude Code: user scope, or a project). */
  group?: string;
  /** What was assumed or left out while reading it: a url without a type, an envFile, ... */
  warnings: string[];
  /** The environment variables, inputs and host variables it needs before it can start. */
  needs: PlaceholderNeeds;
  /** The catalog entry itself, placeholders verbatim. Env and header values may be secrets. */
  entry: ServerEntry;
}

/** A file that was read: which format it is, what it adds, and what it skipped. */
export interface ReadPlannedFile {
  path: string;
  ok: true;
  format: ConfigFormatId;
  /** One sentence saying which format was taken and why. */
  detection: string;
  entries: PlannedEntry[];
  /** Entries that could not be read, each with a sentence naming it; the other entries are still imported. */
  problems: ConfigProblem[];
  /** Notes about the file as a whole (per-entry notes are in each entry's `warnings`). */
  warnings: string[];
  /** VS Code's input definitions, which describe the entries' `${input:id}` placeholders. */
  inputs: InputDefinition[];
}

/** A file that could not be used at all. */
export interface FailedPlannedFile {
  path: string;
  ok: false;
  /** A sentence naming the file and what is wrong: `mcp.json:4:5: invalid JSON: comma expected`. */
  error: string;
}

export type PlannedFile = ReadPlannedFile | FailedPlannedFile;

/** A name that needs a decision: it is already in the catalog, or more than one file has it. */
export interface ImportConflict {
  name: string;
  /** Whether the catalog already has a server by this name. */
  inCatalog: boolean;
  /** The files that have a server by this name, in import order. */
  files: string[];
  /** Free names to offer for renaming, one per file in `files`, distinct from each other and from every name in the plan. */
  suggestedNames: string[];
  /** A sentence for people: `server "github" from mcp.json is already in the catalog`. */
  message: string;
}

/** What importing a set of files would do, before anything is written. */
export interface ImportPlan {
  files: PlannedFile[];
  /** Every entry of every readable file, in file order. */
  entries: PlannedEntry[];
  conflicts: ImportConflict[];
  /** The catalog's names when the plan was made; applying checks the catalog has not changed under it. */
  catalogNames: string[];
  /** The files of the plan that were read from disk by path (which can be kept in sync), set by the api. */
  readFromDisk?: string[];
}
