/** A refusal with a sentence (the api answers it as `rejected`, the CLI as a bad recording or flag). */
export class RecordingError extends Error {
  override readonly name = 'RecordingError';
}
