import { useEffect, useState } from 'preact/hooks';

/** A tiny history router: the server answers index.html for each of these paths. */
export type Route =
  | { page: 'today' }
  | { page: 'application'; id: string }
  | { page: 'add' }
  | { page: 'settings' }
  | { page: 'missing' };

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '/today') return { page: 'today' };
  if (pathname === '/add') return { page: 'add' };
  if (pathname === '/settings') return { page: 'settings' };
  const m = /^\/applications\/([0-9a-f-]{36})$/i.exec(pathname);
  if (m) return { page: 'application', id: m[1] };
  return { page: 'missing' };
}

const listeners = new Set<() => void>();

export function navigate(path: string): void {
  if (path !== location.pathname) history.pushState(null, '', path);
  for (const l of listeners) l();
  window.scrollTo(0, 0);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname));
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return route;
}

/** Left clicks on same-origin links stay in the page; anything else (new tab, copy) is the browser's. */
export function followLink(event: MouseEvent): void {
  const a = (event.target as Element | null)?.closest?.('a');
  if (!a || a.target || a.origin !== location.origin || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || a.hasAttribute('download')) return;
  if (a.pathname.startsWith('/t/') || a.pathname.startsWith('/api/') || a.pathname.startsWith('/docs')) return;
  event.preventDefault();
  navigate(a.pathname);
}
