import { describe, expect, it } from 'vitest';
import { signInOpener } from './sign-in-browser';

describe('the desktop sign-in opener', () => {
  it('opens http(s) authorization URLs in the system browser and refuses any other scheme', async () => {
    const opened: string[] = [];
    const open = signInOpener(async (url) => {
      opened.push(url);
    });
    await open('http://127.0.0.1:9000/auth?client_id=a&state=b');
    await expect(open('file:///etc/passwd')).rejects.toThrow('the authorization URL is not an http(s) URL, so Patchbay does not open it: file:///etc/passwd');
    await expect(open('not a url')).rejects.toThrow(/not an http\(s\) URL/);
    expect(opened).toEqual(['http://127.0.0.1:9000/auth?client_id=a&state=b']);
  });
});
