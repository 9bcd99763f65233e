/** A snapshot as a person picks it from a list: `notes 1.0.0 · 02/12/2026, 14:30:00`. */
export function snapshotLabel(snapshot: { server: string; takenAt: number; serverInfo?: { version: string } }): string {
  return `${snapshot.server}${snapshot.serverInfo ? ` ${snapshot.serverInfo.version}` : ''} · ${new Date(snapshot.takenAt).toLocaleString()}`;
}
