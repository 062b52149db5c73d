import { type RefObject, useLayoutEffect, useState } from 'react';

/**
 * How many monospace characters fit on one row of the terminal, from the width of a
 * probe of 100 characters; 0 when nothing is laid out (tests), which turns wrapping off.
 */
export function useTerminalColumns(
  scrollRef: RefObject<HTMLElement | null>,
  probeRef: RefObject<HTMLElement | null>,
  horizontalPaddingPx: number,
): number {
  const [columns, setColumns] = useState(0);
  useLayoutEffect(() => {
    const scroller = scrollRef.current;
    const probe = probeRef.current;
    if (!scroller || !probe) return;
    const measure = () => {
      const charWidth = probe.getBoundingClientRect().width / 100;
      const width = scroller.getBoundingClientRect().width - horizontalPaddingPx;
      setColumns(charWidth > 0 && width > 0 ? Math.max(20, Math.floor(width / charWidth)) : 0);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(scroller);
    return () => observer.disconnect();
  }, [scrollRef, probeRef, horizontalPaddingPx]);
  return columns;
}
