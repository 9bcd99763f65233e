// `which` 2.x ships no types; this declares the part of its API the connection doctor uses.
declare module 'which' {
  interface WhichOptions {
    /** The PATH to search instead of process.env.PATH. */
    path?: string;
    /** Windows: the extensions to try instead of process.env.PATHEXT. */
    pathExt?: string;
    /** Return every match instead of the first. */
    all?: boolean;
    /** Return null instead of throwing when nothing matches. */
    nothrow?: boolean;
  }
  interface Which {
    sync(command: string, options: WhichOptions & { nothrow: true; all?: false }): string | null;
    sync(command: string, options?: WhichOptions): string;
  }
  const which: Which;
  export default which;
}
