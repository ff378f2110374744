import fs from 'node:fs';
import os from 'node:os';
import { createMockDirectory } from './createMockDirectory';

describe('createMockDirectory', () => {
  it('should create, extend, read back and clear a tree of files', () => {
    const dir = createMockDirectory({
      content: { 'a.txt': 'A', sub: { 'b.bin': Buffer.from([1, 2]), empty: {} } },
    });
    dir.addContent({ 'sub/c.txt': 'C' });
    expect(fs.readFileSync(dir.resolve('sub', 'c.txt'), 'utf8')).toBe('C');
    expect(dir.content({ path: 'sub', shouldReadAsText: p => p.endsWith('.txt') })).toEqual({
      'b.bin': Buffer.from([1, 2]),
      'c.txt': 'C',
      empty: {},
    });
    dir.setContent({ 'only.txt': 'x' });
    expect(dir.content()).toEqual({ 'only.txt': 'x' });
    dir.clear();
    expect(dir.content()).toEqual({});
    expect(dir.content({ path: 'missing' })).toBeUndefined();
  });

  it('should refuse entries outside the directory', () => {
    const dir = createMockDirectory();
    expect(() => dir.addContent({ '../escape.txt': 'x' })).toThrow(
      "createMockDirectory: entry '../escape.txt' points outside the mock directory",
    );
  });

  it('should point os.tmpdir at the directory until it is removed', () => {
    const before = os.tmpdir();
    const dir = createMockDirectory({ mockOsTmpDir: true });
    expect(os.tmpdir()).toBe(dir.path);
    dir.remove();
    expect(os.tmpdir()).toBe(before);
    expect(fs.existsSync(dir.path)).toBe(false);
  });
});
