/** One Server-Sent Event: its type (`message` unless the stream named one), its data and its id, if any. */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/** A streaming Server-Sent Events parser: feed it text as it arrives, in chunks of any size. */
export interface SseParser {
  /** Parses a chunk of decoded text; complete events are handed to the listener at once. */
  push(chunk: string): void;
  /** Drops whatever half-received event is pending (the stream ended mid-event, so it is incomplete). */
  reset(): void;
}

/**
 * Creates a parser that follows the HTML living standard's event-stream rules: lines end with LF, CRLF or CR,
 * `:` starts a comment (the server's keep-alives), `data` lines accumulate, and a blank line dispatches the
 * event. fetch() is used instead of EventSource because EventSource cannot send an Authorization header.
 */
export function createSseParser(onEvent: (event: SseEvent) => void): SseParser {
  let buffer = '';
  // A chunk that ends in CR may be the first half of a CRLF; the LF that follows must not end another line.
  let skipLeadingLf = false;
  let eventType = '';
  let dataLines: string[] = [];
  let lastId: string | undefined;

  const dispatch = (): void => {
    if (dataLines.length === 0) {
      eventType = '';
      return;
    }
    const event: SseEvent = { event: eventType || 'message', data: dataLines.join('\n') };
    if (lastId !== undefined) event.id = lastId;
    eventType = '';
    dataLines = [];
    onEvent(event);
  };

  const processLine = (line: string): void => {
    if (line === '') {
      dispatch();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        eventType = value;
        break;
      case 'data':
        dataLines.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) lastId = value;
        break;
      default:
        // `retry` and unknown fields: the reconnect policy is ours, so they are ignored.
        break;
    }
  };

  return {
    push(chunk: string): void {
      let text = chunk;
      if (skipLeadingLf && text.startsWith('\n')) text = text.slice(1);
      skipLeadingLf = false;
      buffer += text;
      let start = 0;
      for (let i = 0; i < buffer.length; i += 1) {
        const char = buffer[i];
        if (char !== '\n' && char !== '\r') continue;
        processLine(buffer.slice(start, i));
        if (char === '\r') {
          if (i + 1 < buffer.length) {
            if (buffer[i + 1] === '\n') i += 1;
          } else {
            skipLeadingLf = true;
          }
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
    },
    reset(): void {
      buffer = '';
      skipLeadingLf = false;
      eventType = '';
      dataLines = [];
    },
  };
}
