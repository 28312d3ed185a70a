// The kiosk's service worker (registered only on a paired kiosk): it keeps the app shell so a
// reload while the Wi-Fi is down still shows the kiosk ("Waiting for the network").
//
// It caches only the kiosk app's own files (all under /kiosk/): its index.html and what it
// links (Trunk's hashed JS and WebAssembly, the CSS, the start-up script, the icons). Never
// /api/ or /gateway/: no answer about a patient, an intake or a session is ever stored. Pages are fetched network first, so
// a reachable gateway always serves the current app; hashed files never change under a name.

const CACHE = 'chairside-kiosk-shell-v1';
const SHELL = '/kiosk/index.html';

function isAppFile(url) {
  return url.origin === self.location.origin &&
    !url.pathname.startsWith('/api/') &&
    !url.pathname.startsWith('/gateway/');
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const page = await fetch('/kiosk/', { cache: 'no-store', credentials: 'omit' });
    if (!page.ok) throw new Error('the app shell did not load: HTTP ' + page.status);
    const html = await page.clone().text();
    await cache.put(SHELL, page);
    const files = new Set();
    for (const match of html.matchAll(/["'](\/[^"'?#]+\.(?:js|mjs|wasm|css|svg|png|webmanifest))["']/g)) {
      files.add(match[1]);
    }
    await cache.addAll([...files].filter((path) => isAppFile(new URL(path, self.location.origin))));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || !isAppFile(url)) return;
  if (request.mode === 'navigate') {
    event.respondWith((async () => {
      try {
        const page = await fetch(request);
        if (page.ok) {
          const cache = await caches.open(CACHE);
          await cache.put(SHELL, page.clone());
        }
        return page;
      } catch (offline) {
        return (await caches.match(SHELL)) || Response.error();
      }
    })());
    return;
  }
  event.respondWith((async () => {
    const cached = await caches.match(request);
    if (cached) return cached;
    const response = await fetch(request);
    if (response.ok && response.type === 'basic') {
      const cache = await caches.open(CACHE);
      await cache.put(request, response.clone());
    }
    return response;
  })());
});
