import { onlineManager } from '@tanstack/react-query';
import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeEventSource } from '../../test/fakeEventSource.ts';
import { buildLogEntry } from '../../test/fixtures.ts';
import { useLiveStream } from './useLiveStream.ts';

const URL_ = '/api/admin/ebay/tokens/terminal-stream?kind=tokens&after_id=10';
const afterIdOf = (source: FakeEventSource | undefined) =>
  source ? new URL(source.url, 'http://localhost').searchParams.get('after_id') : null;

/** The live tail when the server goes away (issue 16 defect 5): it comes back by itself, promptly. */
describe('useLiveStream reconnecting', () => {
  beforeEach(() => {
    FakeEventSource.install();
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    onlineManager.setOnline(true);
  });

  async function liveStream() {
    const received: number[] = [];
    const hook = renderHook(() =>
      useLiveStream(URL_, (entries) => received.push(...entries.map((e) => e.id))),
    );
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(hook.result.current).toBe('live');
    const first = FakeEventSource.latestOpen();
    act(() => first?.emit(buildLogEntry({ id: 11 })));
    act(() => first?.emit(buildLogEntry({ id: 12 })));
    await act(() => vi.advanceTimersByTimeAsync(200));
    expect(received).toEqual([11, 12]);
    return { hook, first, received };
  }

  it('opens the stream again after the newest entry when the browser gives up on it', async () => {
    const { hook, first, received } = await liveStream();
    act(() => first?.drop(true));
    expect(hook.result.current).toBe('reconnecting');
    await act(() => vi.advanceTimersByTimeAsync(1_000));
    const second = FakeEventSource.latestOpen();
    expect(second).not.toBe(first);
    // Resumes after what it had, not after the first page: nothing twice, nothing missed.
    expect(afterIdOf(second)).toBe('12');
    expect(hook.result.current).toBe('live');
    act(() => second?.emit(buildLogEntry({ id: 13 })));
    await act(() => vi.advanceTimersByTimeAsync(200));
    expect(received).toEqual([11, 12, 13]);

    hook.unmount();
  });

  it('reconnects at once when the page sees the server answer again', async () => {
    const { hook, first } = await liveStream();
    act(() => {
      onlineManager.setOnline(false);
      first?.drop();
    });
    expect(hook.result.current).toBe('reconnecting');
    act(() => onlineManager.setOnline(true));
    const next = FakeEventSource.latestOpen();
    expect(next).not.toBe(first);
    expect(afterIdOf(next)).toBe('12');
    hook.unmount();
    expect(FakeEventSource.latestOpen()).toBeUndefined();
  });
});
