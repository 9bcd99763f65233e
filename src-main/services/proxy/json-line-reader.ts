/**
 * Splits a byte stream into newline-delimited lines without re-copying the whole pending buffer on every chunk
 * (a multi-megabyte message arrives in many chunks; the naive concat is quadratic).
 */
export class JsonLineReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  /**
   * @param maxLineBytes longest line accepted
   * @param overflow what to do with a longer one: `throw` (a protocol message can't be cut) or `split` it into
   *   pieces (stderr is for reading; a runaway line must not hold memory)
   */
  constructor(
    private readonly maxLineBytes: number,
    private readonly overflow: 'throw' | 'split' = 'throw',
  ) {}

  /**
   * Feeds a chunk and returns the complete lines it finishes, without their trailing newline.
   * Throws when one line grows past the limit; the reader is reset so the stream can go on.
   */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let offset = 0;
    let newline = chunk.indexOf(0x0a, offset);
    while (newline !== -1) {
      const piece = chunk.subarray(offset, newline);
      const whole = this.pending.length === 0 ? piece : Buffer.concat([...this.pending, piece]);
      this.pending = [];
      this.pendingBytes = 0;
      const text = whole.toString('utf8');
      lines.push(text.endsWith('\r') ? text.slice(0, -1) : text);
      offset = newline + 1;
      newline = chunk.indexOf(0x0a, offset);
    }
    if (offset < chunk.length) {
      const rest = chunk.subarray(offset);
      this.pendingBytes += rest.length;
      this.pending.push(rest);
      if (this.pendingBytes > this.maxLineBytes) {
        const whole = Buffer.concat(this.pending);
        this.pending = [];
        this.pendingBytes = 0;
        if (this.overflow === 'throw') throw new Error(`a message from the server exceeded ${this.maxLineBytes} bytes without a newline`);
        lines.push(whole.toString('utf8'));
      }
    }
    return lines;
  }
}
