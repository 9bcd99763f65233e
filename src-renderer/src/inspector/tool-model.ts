/**
 * Tools as the list shows them: the display name and the behaviour hints of their annotations.
 */
import type { Tool } from '@modelcontextprotocol/client';

/** A behaviour hint worth a tag; `tone` picks its colour. */
export interface AnnotationTag {
  label: string;
  tone: 'safe' | 'danger' | 'neutral';
  /** What the hint means, for the tooltip. */
  meaning: string;
}

/**
 * The tags for a tool's annotations. Only hints the server states are shown (the spec's defaults, such as
 * destructiveHint true, say nothing about this tool); destructive/idempotent hints are meaningless for a
 * read-only tool and are left out then.
 */
export function annotationTags(annotations: Tool['annotations']): AnnotationTag[] {
  if (!annotations) return [];
  const tags: AnnotationTag[] = [];
  if (annotations.readOnlyHint === true) tags.push({ label: 'read-only', tone: 'safe', meaning: 'Does not modify its environment' });
  if (annotations.readOnlyHint !== true) {
    if (annotations.destructiveHint === true) tags.push({ label: 'destructive', tone: 'danger', meaning: 'May perform destructive updates' });
    if (annotations.destructiveHint === false) tags.push({ label: 'non-destructive', tone: 'safe', meaning: 'Only adds, never destroys' });
  }
  if (annotations.idempotentHint === true) tags.push({ label: 'idempotent', tone: 'neutral', meaning: 'Calling it again with the same arguments has no further effect' });
  if (annotations.openWorldHint === true) tags.push({ label: 'open world', tone: 'neutral', meaning: 'Interacts with external entities (the web, other systems)' });
  if (annotations.openWorldHint === false) tags.push({ label: 'closed world', tone: 'neutral', meaning: 'Works only within its own domain' });
  return tags;
}

/** The name to show: the tool's title (top level, then annotations), else its name. */
export function toolDisplayName(tool: Pick<Tool, 'name' | 'title' | 'annotations'>): string {
  return tool.title ?? tool.annotations?.title ?? tool.name;
}
