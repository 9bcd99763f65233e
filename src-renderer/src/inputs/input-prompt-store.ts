import { create } from 'zustand';
import type { InputAnswers, InputPrompt } from '../../../src-shared/inputs';

/** What the user answered: the answers, and whether to remember them. */
export interface InputReply {
  answers: InputAnswers;
  remember: boolean;
}

interface PendingPrompt {
  prompt: InputPrompt;
  reply(answer: InputReply | undefined): void;
}

interface InputPromptState {
  /** Servers waiting for their inputs, first asked first: the dialog shows one at a time ("Connect all" included). */
  queue: PendingPrompt[];
  /** Why a server did not connect after its prompt (cancelled, or its answers refused), until it connects again. */
  notices: Readonly<Record<string, string>>;
}

export const useInputPromptStore = create<InputPromptState>(() => ({ queue: [], notices: {} }));

/** Queues a prompt and resolves with the user's answers, or undefined if they cancelled. */
export function askForInputs(prompt: InputPrompt): Promise<InputReply | undefined> {
  return new Promise((resolve) => {
    const pending: PendingPrompt = {
      prompt,
      reply: (answer) => {
        useInputPromptStore.setState((state) => ({ queue: state.queue.filter((item) => item !== pending) }));
        resolve(answer);
      },
    };
    useInputPromptStore.setState((state) => ({ queue: [...state.queue, pending] }));
  });
}

/** Records (or with undefined clears) why a server did not connect after being asked for its inputs. */
export function setInputNotice(server: string, notice: string | undefined): void {
  useInputPromptStore.setState((state) => {
    const notices = { ...state.notices };
    if (notice === undefined) delete notices[server];
    else notices[server] = notice;
    return { notices };
  });
}

/** Whether an entry uses `${input:id}` anywhere a host fills placeholders, so connecting it may need a prompt. */
export function usesInputs(entry: { transport: string } & Record<string, unknown>): boolean {
  return /\$\{input:[^{}]+\}/.test(JSON.stringify({ ...entry, inputs: undefined, name: undefined }));
}
