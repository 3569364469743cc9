// Deleting an image where there may be no trash (code-server, remote and virtual file systems):
// the trash first; when the file system has none, deleting for good only after the user says so.
// No vscode at run time: the file system and the question come in as parameters.

export interface DeletingFileSystem<U> {
  delete(uri: U, options: { useTrash: boolean }): PromiseLike<void>;
}

export type DeleteOutcome = 'trashed' | 'deleted' | 'gone' | 'kept';

/**
 * `isGone`: the error says the file is not there (already deleted). `confirmPermanent` asks the
 * second question, with the trash's error; false keeps the file.
 */
export async function deleteWithTrashFallback<U>(fs: DeletingFileSystem<U>, uri: U, isGone: (e: unknown) => boolean, confirmPermanent: (trashError: unknown) => PromiseLike<boolean>): Promise<DeleteOutcome> {
  try {
    await fs.delete(uri, { useTrash: true });
    return 'trashed';
  } catch (e) {
    if (isGone(e)) return 'gone';
    if (!(await confirmPermanent(e))) return 'kept';
  }
  try {
    await fs.delete(uri, { useTrash: false });
  } catch (e) {
    if (isGone(e)) return 'gone';
    throw e;
  }
  return 'deleted';
}
