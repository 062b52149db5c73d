import { boundText } from './boundText.ts';

describe('boundText', () => {
  it('keeps text within the bound as it is', () => {
    expect(boundText('short', 10)).toBe('short');
    expect(boundText('x'.repeat(10), 10)).toBe('x'.repeat(10));
  });

  it('cuts longer text to the bound and says how long it was', () => {
    const cut = boundText('y'.repeat(921_600), 2000);
    expect(cut).toHaveLength(2000);
    expect(cut.endsWith('… [921600 characters in all]')).toBe(true);
    expect(cut.startsWith('yyyy')).toBe(true);
  });
});
