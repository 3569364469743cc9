// Delete where there is no trash: the second question decides, and only a yes deletes for good.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deleteWithTrashFallback } from '../../src/workspace/trashFallback';

class NoTrash {
  files = new Set(['a.png']);
  calls: boolean[] = [];
  constructor(private readonly hasTrash: boolean) {}
  async delete(uri: string, options: { useTrash: boolean }): Promise<void> {
    this.calls.push(options.useTrash);
    if (!this.files.has(uri)) throw Object.assign(new Error('not found'), { code: 'FileNotFound' });
    if (options.useTrash && !this.hasTrash) throw new Error('Unable to delete file via trash because provider does not support it.');
    this.files.delete(uri);
  }
}
const gone = (e: unknown) => (e as { code?: string }).code === 'FileNotFound';

test('with a trash: trashed, no second question', async () => {
  const fs = new NoTrash(true);
  let asked = false;
  assert.equal(await deleteWithTrashFallback(fs, 'a.png', gone, async () => (asked = true)), 'trashed');
  assert.equal(asked, false);
  assert.deepEqual(fs.calls, [true]);
});

test('without a trash: the user is asked, with the reason, and a yes deletes for good', async () => {
  const fs = new NoTrash(false);
  let reason = '';
  const outcome = await deleteWithTrashFallback(fs, 'a.png', gone, async (e) => {
    reason = (e as Error).message;
    return true;
  });
  assert.equal(outcome, 'deleted');
  assert.match(reason, /does not support/);
  assert.deepEqual(fs.calls, [true, false]);
  assert.equal(fs.files.has('a.png'), false);
});

test('without a trash: a no keeps the file', async () => {
  const fs = new NoTrash(false);
  assert.equal(await deleteWithTrashFallback(fs, 'a.png', gone, async () => false), 'kept');
  assert.equal(fs.files.has('a.png'), true);
  assert.deepEqual(fs.calls, [true]);
});

test('a file already gone is not an error', async () => {
  const fs = new NoTrash(false);
  fs.files.clear();
  assert.equal(await deleteWithTrashFallback(fs, 'a.png', gone, async () => true), 'gone');
});
