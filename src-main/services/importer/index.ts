// Imports MCP host config files into the catalog: read the files, plan (formats, entries, conflicts), then apply
// the user's decisions in one all-or-nothing catalog write.
export { applyImport, type ImportResult, type ImportTarget } from './apply-import';
export { decideImport, ImportError, type EntryDecision, type ImportAction, type ImportDecision, type ImportDecisions } from './import-decisions';
export { MAX_IMPORT_BYTES, readImportFiles, type ImportFile } from './import-files';
export type { FailedPlannedFile, ImportConflict, ImportPlan, PlannedEntry, PlannedFile, ReadPlannedFile } from './import-plan';
export { planImport, type PlanImportOptions } from './plan-import';
