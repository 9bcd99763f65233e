/** A refusal with a sentence: no such server or snapshot, a bad file, a server that could not be snapshotted (the api answers it as `rejected`; the CLI exits 2 or 3). */
export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
}
