/** The sentence to show for anything caught: an Error's message (ApiCallError's is meant for the user), else its text. */
export function errorText(caught: unknown): string {
  return caught instanceof Error ? caught.message : String(caught);
}
