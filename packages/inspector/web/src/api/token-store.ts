const KEY = 'ticketflow-inspector-token';

/**
 * The operator's token for this browser tab only (sessionStorage): gone when the tab
 * closes, never in a cookie or the URL.
 */
export const tokenStore = {
  get(): string | null {
    try {
      return sessionStorage.getItem(KEY);
    } catch {
      return null;
    }
  },
  set(token: string | null): void {
    try {
      if (token) sessionStorage.setItem(KEY, token);
      else sessionStorage.removeItem(KEY);
    } catch {
      // storage disabled: the token lives as long as the page
    }
  },
};
