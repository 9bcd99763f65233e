import { CSP_VIOLATION_MESSAGE } from '../../../src-shared/apps';

/**
 * A script put first in an app's document: it tells the host of every CSP violation in it (securitypolicyviolation
 * fires only inside the document that broke the policy). It runs under the document's own CSP, which allows inline
 * scripts; the host reads these messages only from the app's iframe, and shows them as reported by the document.
 */
const RELAY = `<script>(function(){var post=window.parent.postMessage.bind(window.parent);addEventListener('securitypolicyviolation',function(e){post({${JSON.stringify(CSP_VIOLATION_MESSAGE)}:{directive:e.effectiveDirective||e.violatedDirective,blockedURI:String(e.blockedURI||''),sourceFile:e.sourceFile||undefined,line:e.lineNumber||undefined,sample:e.sample||undefined}},'*')})})();</script>`;

/** The HTML with the relay inserted right after <head> (or after the doctype/<html>, or first), keeping standards mode. */
export function withViolationRelay(html: string): string {
  for (const pattern of [/<head(\s[^>]*)?>/i, /<html(\s[^>]*)?>/i, /<!doctype[^>]*>/i]) {
    const match = pattern.exec(html);
    if (match) {
      const end = match.index + match[0].length;
      return html.slice(0, end) + RELAY + html.slice(end);
    }
  }
  return RELAY + html;
}
