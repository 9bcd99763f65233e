import { useAppStore } from '../store/app-store';

/** Problems that concern the whole app: the saved catalog could not be read, or the link to Patchbay is down. */
export function Banners() {
  const problem = useAppStore((state) => state.catalogProblem);
  const link = useAppStore((state) => state.link);
  return (
    <>
      {problem && (
        <div className="banner banner-error" role="alert">
          <strong>The saved catalog could not be read.</strong> {problem}
        </div>
      )}
      {link.status === 'refused' && (
        <div className="banner banner-error" role="alert">
          {link.error}. The access token is no longer valid: open the URL that npm run web printed.
        </div>
      )}
      {link.status === 'reconnecting' && (
        <div className="banner banner-warning" role="status">
          Lost the connection to Patchbay{link.error ? ` (${link.error})` : ''}; reconnecting… Servers were disconnected.
        </div>
      )}
    </>
  );
}
