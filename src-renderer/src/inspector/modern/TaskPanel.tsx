import type { CallToolResult } from '@modelcontextprotocol/client';
import { useNow } from '../../components/use-now';
import { ToolResult } from '../ContentBlocks';
import { describeToolResult } from '../result-model';
import type { JsonSchema } from '../schema-form/json-schema';
import { formatDuration } from '../time-format';
import { tasksOf, useModernStore, type TaskRecord } from './modern-store';
import { followedTask, TERMINAL_STATUSES } from './task-runner';

/** The task the last call of a tool created (tasks extension): its status as polled, Cancel, and its result. */
export function TaskPanel({ server, tool, outputSchema }: { server: string; tool: string; outputSchema?: JsonSchema }) {
  const task = useModernStore((state) => tasksOf(state, server).filter((candidate) => candidate.tool === tool).at(-1));
  if (!task) return null;
  return <TaskView server={server} task={task} outputSchema={outputSchema} />;
}

function TaskView({ server, task, outputSchema }: { server: string; task: TaskRecord; outputSchema?: JsonSchema }) {
  const terminal = TERMINAL_STATUSES.has(task.status);
  const now = useNow(terminal || task.stopped ? 60_000 : 500);
  const elapsed = formatDuration((task.endedAt ?? now) - task.startedAt);
  const following = followedTask(server, task.taskId);
  return (
    <section className="modern-task" aria-label={`Task of ${task.tool}`} data-testid="task-panel" data-status={task.status}>
      <header className="modern-task-header">
        <h4>Task</h4>
        <span className={`badge modern-task-status modern-task-${task.status}`} role="status" aria-label={`Task status: ${task.status}`}>
          {task.status.replace('_', ' ')}
        </span>
        <span className="muted">{terminal ? `after ${elapsed}` : `${elapsed} so far`}</span>
        <button type="button" onClick={() => void following?.cancel()} disabled={!following || terminal || task.cancelRequested}>
          {task.cancelRequested && !terminal ? 'Cancel requested' : 'Cancel task'}
        </button>
      </header>
      {task.statusMessage && <p className="modern-task-message">{task.statusMessage}</p>}
      <dl className="facts modern-task-facts">
        <dt>Task id</dt>
        <dd className="mono">{task.taskId}</dd>
        <dt>Polls</dt>
        <dd>
          {task.polls} tasks/get{task.pollIntervalMs !== undefined ? `, every ${formatDuration(task.pollIntervalMs)} as the server suggests` : ''}
          {task.stopped && !terminal ? ' (stopped)' : ''}
        </dd>
        {task.ttlMs !== undefined && (
          <>
            <dt>Time to live</dt>
            <dd>{task.ttlMs === null ? 'unlimited' : formatDuration(task.ttlMs)}</dd>
          </>
        )}
        {task.status === 'input_required' && (
          <>
            <dt>Input</dt>
            <dd>The task waits for an answer in the Requests tab; it is sent with tasks/update.</dd>
          </>
        )}
      </dl>
      {task.error && (
        <p className="insp-call-error" role="alert">
          {task.error}
        </p>
      )}
      {task.result && <ToolResult view={describeToolResult(task.result as CallToolResult, outputSchema)} />}
    </section>
  );
}
