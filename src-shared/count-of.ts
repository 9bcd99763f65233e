/** "1 tool", "2 tools", "0 prompts": a count with its noun, plural when it is not one (nouns taking an s only). */
export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
