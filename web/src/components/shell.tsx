import { useEffect, useRef } from 'preact/hooks';
import { del } from '../api';
import { useLiveState } from '../live';
import { followLink, useRoute, type Route } from '../router';
import { AddPage } from '../pages/add';
import { ApplicationPage } from '../pages/application';
import { SettingsPage } from '../pages/settings';
import { TodayPage } from '../pages/today';

const TITLES: Record<Route['page'], string> = {
  today: 'Today',
  application: 'Application',
  add: 'Add',
  settings: 'Settings',
  missing: 'Not found',
};

/** Header, navigation and the current page. */
export function Shell({ onSignedOut }: { onSignedOut: () => void }) {
  const route = useRoute();
  const live = useLiveState();
  const main = useRef<HTMLElement>(null);
  const firstRoute = useRef(true);
  useEffect(() => {
    document.title = `${TITLES[route.page]} · hirepulse`;
    // After a navigation, keyboard and screen-reader users land on the new page (not on a first load:
    // there the skip link comes first, as on any site).
    if (!firstRoute.current) main.current?.focus({ preventScroll: true });
    firstRoute.current = false;
  }, [route]);

  const signOut = async () => {
    await del('/api/session').catch(() => undefined);
    onSignedOut();
  };
  const current = (page: Route['page']) => (route.page === page ? 'page' : undefined);

  return (
    <div onClick={(e) => followLink(e as unknown as MouseEvent)}>
      <a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <a class="brand" href="/">hirepulse</a>
        <nav aria-label="Main">
          <a href="/" aria-current={current('today')}>Today</a>
          <a href="/add" aria-current={current('add')}>Add</a>
          <a href="/settings" aria-current={current('settings')}>Settings</a>
        </nav>
        <span class={live ? 'live on' : 'live'} title={live ? 'Updates arrive by themselves' : 'Reconnecting…'}>
          {live ? 'Live' : 'Offline'}
        </span>
        <button type="button" class="link-button" onClick={signOut}>Sign out</button>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {route.page === 'today' && <TodayPage />}
        {route.page === 'application' && <ApplicationPage id={route.id} />}
        {route.page === 'add' && <AddPage />}
        {route.page === 'settings' && <SettingsPage />}
        {route.page === 'missing' && (
          <section>
            <h1>Page not found</h1>
            <p><a href="/">Go to Today</a></p>
          </section>
        )}
      </main>
    </div>
  );
}
