import assert from 'node:assert/strict';
import { test } from 'node:test';
import { imageDimensions, imageFormat, isImageFileName, mimeTypeForPath, sniffImageFormat, sniffMimeType } from '../../src/core/imageType';

function pngHeader(width: number, height: number): Buffer {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'ascii');
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  return b;
}

test('PNG is recognised with its size', () => {
  const png = pngHeader(1344, 768);
  assert.equal(sniffImageFormat(png), 'png');
  assert.deepEqual(imageDimensions(png), { width: 1344, height: 768 });
});

test('JPEG size from the SOF marker', () => {
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x03, 0x00, 0x04, 0x00, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(sniffImageFormat(jpeg), 'jpeg');
  assert.deepEqual(imageDimensions(jpeg), { width: 1024, height: 768 });
});

test('the bytes win over a wrong mime type; unknown stays unknown', () => {
  assert.equal(imageFormat('image/jpeg', pngHeader(1, 1)), 'png');
  assert.equal(imageFormat('image/webp', Buffer.from('not an image at all')), 'webp');
  assert.equal(imageFormat('application/x-unknown', Buffer.from('garbage garbage')), undefined);
});

test('file names and MIME types: one mapping for the dialogs, the checks and the references', () => {
  assert.deepEqual(['a.png', 'b.JPG', 'c.jpeg', 'd.webp', 'e.gif', 'f.png.txt', 'png'].map(isImageFileName), [true, true, true, true, false, false, false]);
  assert.deepEqual(['/x/a.png', '/x/b.JPG', 'c.jpeg', 'd.webp', 'e', 'dir.webp/f'].map(mimeTypeForPath), ['image/png', 'image/jpeg', 'image/jpeg', 'image/webp', 'image/png', 'image/png']);
  assert.equal(sniffMimeType(Buffer.from('GIF89a......')), 'image/gif');
  assert.equal(sniffMimeType(Buffer.from('not an image')), undefined);
});
