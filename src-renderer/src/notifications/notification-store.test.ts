import { beforeEach, describe, expect, it } from 'vitest';
import { notify, useNotificationStore, withdrawNotice } from './notification-store';

const texts = (list: readonly { text: string }[]) => list.map((item) => item.text);

describe('notification store: lasting states named by a key', () => {
  beforeEach(() => useNotificationStore.getState().clear());

  it('says a lasting state once on screen: a repeat in the same words is no news, new words replace it', () => {
    notify('error', 'Lost the connection', { key: 'link' });
    notify('error', 'Lost the connection', { key: 'link' });
    expect(texts(useNotificationStore.getState().toasts)).toEqual(['Lost the connection']);
    notify('error', 'Refused', { key: 'link' });
    notify('success', 'Copied');
    const state = useNotificationStore.getState();
    expect(texts(state.toasts)).toEqual(['Refused', 'Copied']);
    expect(texts(state.history)).toEqual(['Lost the connection', 'Refused', 'Copied']);
  });

  it('withdraws a state that is over from the screen and keeps it in the list', () => {
    notify('error', 'Lost the connection', { key: 'link' });
    notify('error', 'Import failed');
    withdrawNotice('link');
    const state = useNotificationStore.getState();
    expect(texts(state.toasts)).toEqual(['Import failed']);
    expect(texts(state.history)).toEqual(['Lost the connection', 'Import failed']);
  });
});
