// Placeholder preload: the typed api object arrives with the desktop-app issue.
export {};
