import { createProgressReporter, renderProgressBar } from './progressBar.ts';

describe('progress bar', () => {
  it('renders the share done', () => {
    expect(renderProgressBar(0, 2000, 10)).toBe('[----------]   0% 0/2000 accounts');
    expect(renderProgressBar(1000, 2000, 10)).toBe('[#####-----]  50% 1000/2000 accounts');
    expect(renderProgressBar(2000, 2000, 10)).toBe('[##########] 100% 2000/2000 accounts');
  });

  it('redraws in place on a terminal and ends the line', () => {
    const written: string[] = [];
    const reporter = createProgressReporter(
      { out: () => {}, err: () => {} },
      { isTTY: true, write: (t) => written.push(t) },
    );
    reporter.update({ done: 500, total: 1000 });
    reporter.update({ done: 1000, total: 1000 });
    reporter.finish();
    expect(written.map((w) => w.slice(0, 2))).toEqual(['\r[', '\r[', '\n']);
  });

  it('prints a line per 10 % elsewhere, and nothing for small runs', () => {
    const lines: string[] = [];
    const io = { out: () => {}, err: (l: string) => lines.push(l) };
    const reporter = createProgressReporter(io, { isTTY: false, write: () => {} });
    for (let done = 0; done <= 5000; done += 500) reporter.update({ done, total: 5000 });
    expect(lines).toHaveLength(11);
    const small = createProgressReporter(io, { isTTY: false, write: () => {} });
    small.update({ done: 10, total: 20 });
    expect(lines).toHaveLength(11);
  });
});
