// Where Debian's Chromium is and how every tool here launches it (tests, demo test,
// benchmarks, pack test). Nothing downloads a browser: `apt-get install chromium`.

/** The Chromium binary: `CHROME_PATH`, else Debian's `/usr/bin/chromium`. */
export const CHROMIUM_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';

/**
 * Headless flags that work as root on this kind of machine: `--no-sandbox` (root),
 * and no background networking, component updates, sync or QUIC, so that nothing
 * tries to leave loopback.
 */
export const CHROMIUM_ARGS = Object.freeze([
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]);
