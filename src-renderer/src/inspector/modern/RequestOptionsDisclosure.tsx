import { useId } from 'react';
import { LOGGING_LEVELS } from '../log-model';
import { requestOptionsOf, setRequestOptions, useModernStore } from './modern-store';
import { buildRequestMeta, describeRequestOptions } from './request-options';

/**
 * "Request options" for a modern tool call, resource read or prompt get: extra `_meta` (JSON) and the log level
 * the server is asked to send log messages from for that request. One set per server, kept across reconnects.
 */
export function RequestOptionsDisclosure({ server }: { server: string }) {
  const id = useId();
  const options = useModernStore((state) => requestOptionsOf(state, server));
  const outcome = buildRequestMeta(options);
  const problem = 'error' in outcome ? outcome.error : undefined;
  return (
    <details className="insp-more modern-options" data-testid="request-options">
      <summary>
        Request options <span className="muted">· {describeRequestOptions(options)}</span>
      </summary>
      <div className="modern-options-body">
        <div className="sf-field">
          <label htmlFor={`${id}-level`}>Log level</label>
          <select
            id={`${id}-level`}
            className="sf-select"
            value={options.logLevel ?? ''}
            onChange={(event) => setRequestOptions(server, { ...options, logLevel: event.target.value === '' ? undefined : (event.target.value as typeof options.logLevel) })}
          >
            <option value="">none (no log messages)</option>
            {LOGGING_LEVELS.map((level) => (
              <option key={level} value={level}>
                {level}
              </option>
            ))}
          </select>
          <p className="sf-hint muted">Sent as io.modelcontextprotocol/logLevel in the request&apos;s _meta; the server sends log messages from this level up, for this request only.</p>
        </div>
        <div className="sf-field">
          <label htmlFor={`${id}-meta`}>Extra _meta (JSON object)</label>
          <textarea
            id={`${id}-meta`}
            className="insp-raw"
            rows={3}
            spellCheck={false}
            placeholder='{"traceparent": "00-…"}'
            value={options.metaText}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${id}-problem` : undefined}
            onChange={(event) => setRequestOptions(server, { ...options, metaText: event.target.value })}
          />
          {problem && (
            <p id={`${id}-problem`} className="form-error" role="alert">
              {problem}
            </p>
          )}
        </div>
      </div>
    </details>
  );
}
