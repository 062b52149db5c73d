import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

// Mantine reads these browser APIs; jsdom does not have them.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: vi.fn().mockImplementation((query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: vi.fn(),
    removeListener: vi.fn(),
    addEventListener: vi.fn(),
    removeEventListener: vi.fn(),
    dispatchEvent: vi.fn(),
  })),
});

class ResizeObserverShim {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
window.ResizeObserver = ResizeObserverShim;

// jsdom lays nothing out: give elements a viewport-sized box so the
// virtualised terminal renders rows (it measures clientWidth/clientHeight).
Object.defineProperties(window.HTMLElement.prototype, {
  clientHeight: { configurable: true, get: () => 900 },
  clientWidth: { configurable: true, get: () => 1200 },
});
window.HTMLElement.prototype.scrollTo = function scrollTo(
  this: HTMLElement,
  options?: ScrollToOptions | number,
) {
  if (typeof options === 'object' && typeof options.top === 'number') this.scrollTop = options.top;
};
window.HTMLElement.prototype.scrollIntoView = () => {};

// Pages render through several queries; on a loaded CI machine 1 s (the default) is tight.
configure({ asyncUtilTimeout: 4000 });

afterEach(() => {
  cleanup();
});
