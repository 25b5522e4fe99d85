/** The Chromium binary: `CHROME_PATH`, else Debian's `/usr/bin/chromium`. */
export declare const CHROMIUM_PATH: string;
/** Headless flags that work as root here, keeping every connection on loopback. */
export declare const CHROMIUM_ARGS: readonly string[];
