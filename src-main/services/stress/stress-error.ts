/** A stress request the runner refuses, with a sentence that says why (the api answers it as `rejected`). */
export class StressError extends Error {
  override readonly name = 'StressError';
}
