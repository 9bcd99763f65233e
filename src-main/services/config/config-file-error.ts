/** Where in a config file a problem is, 1-based like an editor shows it. */
export interface FileLocation {
  line: number;
  column: number;
}

/**
 * A problem with a config file as a whole (unreadable, not JSON, no servers in it), as opposed to one bad server
 * entry. The message names the file, and the line and column when the problem has a place.
 */
export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(
    /** The file as the caller named it. */
    readonly file: string,
    /** What is wrong, without the file name. */
    readonly reason: string,
    location?: FileLocation,
    options?: ErrorOptions,
  ) {
    super(location ? `${file}:${location.line}:${location.column}: ${reason}` : `${file}: ${reason}`, options);
    this.line = location?.line;
    this.column = location?.column;
  }
}
