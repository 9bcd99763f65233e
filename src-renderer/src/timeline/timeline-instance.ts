import { installTimelineTestHook } from './test-hook';
import { TimelineStore } from './timeline-store';

/** The app's one timeline: the runtime feeds it every message event, the Timeline view reads it. */
export const timeline = new TimelineStore();

installTimelineTestHook(timeline);
