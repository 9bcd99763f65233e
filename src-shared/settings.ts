import { z } from 'zod';

/** Longest idle timeout accepted: a week; 0 means never. */
export const MAX_IDLE_TIMEOUT_S = 7 * 24 * 60 * 60;

/** The app's own settings, kept in `settings.json` in the data folder. Every field is optional: absent = default. */
export const AppSettingsSchema = z.strictObject({
  /** Seconds without a message after which a session is closed (and its server ended); 0 never. Default 1800. */
  idleTimeoutSeconds: z
    .number({ error: 'idleTimeoutSeconds must be a number of seconds' })
    .min(0, 'idleTimeoutSeconds must be 0 (never) or more')
    .max(MAX_IDLE_TIMEOUT_S, `idleTimeoutSeconds must be at most ${MAX_IDLE_TIMEOUT_S} (a week); use 0 for never`)
    .optional(),
});
export type AppSettings = z.infer<typeof AppSettingsSchema>;

/** The idle timeout used when the settings say nothing. */
export const DEFAULT_IDLE_TIMEOUT_SECONDS = 30 * 60;
