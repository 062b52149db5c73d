/** Leaves the app for another URL (eBay's consent page). Its own module so tests can replace it. */
export function redirectTo(url: string): void {
  window.location.assign(url);
}
