/**
 * Debian's Chromium as the CLI, the browser tests and the benchmarks start it: the executable
 * (never a downloaded browser) and its flags.
 */

/** Debian's Chromium; CHROMIUM_PATH names another. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Chromium's flags here: WebGL 2 in software (SwiftShader), and no background requests (the
 * closed network otherwise floods Chromium with refused connections).
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
