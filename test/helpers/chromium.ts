// Debian's Chromium driven by playwright-core (which downloads no browser), as every browser test launches it.
import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's `chromium` package installs it here (`.ci/run` installs the package). */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Headless Chromium with a fresh profile folder: as root it needs --no-sandbox, and without the background-network
 * switches it keeps trying hosts this closed network refuses.
 */
export function launchChromium(profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
