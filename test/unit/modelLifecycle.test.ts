// Where a model stands from the catalogue's dated hint plus what the endpoint said: the endpoint's
// word wins, and a passed date is "stopped" only once the endpoint confirmed it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { automaticImageModel, isRetired, lifecycleAt, replacementFor } from '../../src/core/models';
import { ModelStatusBook } from '../../src/gemini/modelStatusBook';
import { memoryStore } from '../../src/gemini/storage';

const TODAY = new Date('2026-12-08T12:00:00Z');

describe('lifecycle from the catalogue alone', () => {
  test('2.5 Flash Image is deprecated and retiring on 2027-03-15 as announced on 2026-10-15, not stopped; Lite replaces it', () => {
    const life = lifecycleAt('gemini-2.5-flash-image', TODAY);
    assert.equal(life.state, 'retiring');
    assert.ok(life.state === 'retiring');
    assert.equal(life.shutdown, '2027-03-15');
    assert.equal(life.announced, '2026-10-15');
    assert.equal(life.overdue, false);
    assert.equal(life.from, 'catalogue');
    assert.equal(life.replacement, 'gemini-3.1-flash-lite-image');
  });

  test('a date that passed without the endpoint confirming it is overdue, never "retired"', () => {
    assert.equal(isRetired('gemini-3-pro-image-preview', new Date('2026-06-24T23:59:59Z')), false);
    assert.equal(isRetired('gemini-3-pro-image-preview', new Date('2026-06-25T00:00:00Z')), true);
    const life = lifecycleAt('gemini-3-pro-image-preview', TODAY);
    assert.equal(life.state, 'retiring');
    assert.ok(life.state === 'retiring' && life.overdue && life.from === 'catalogue' && life.shutdown === '2026-06-25');
    assert.equal(replacementFor('gemini-3.1-flash-image-preview', TODAY), 'gemini-nano-banana-2.1', 'followed past the deprecated 3.1 Flash Image');
  });

  test('3.1 Flash Image is deprecated with no shutdown date; the GA models are live; an unknown id is unknown', () => {
    const flash = lifecycleAt('gemini-3.1-flash-image', TODAY);
    assert.ok(flash.state === 'retiring' && flash.shutdown === undefined);
    assert.equal(lifecycleAt('gemini-3-pro-image', TODAY).state, 'live');
    assert.equal(lifecycleAt('gemini-nano-banana-2.1', TODAY).state, 'live');
    assert.equal(lifecycleAt('a-relay-alias', TODAY).state, 'unknown');
  });

  test('the text models: 2.5 Flash past its date, 3.5 and 3.7 Flash deprecated towards 3.6 and 3.8', () => {
    assert.equal(isRetired('gemini-2.5-flash', new Date('2026-11-30T23:00:00Z')), false);
    assert.equal(isRetired('gemini-2.5-flash', TODAY), true);
    assert.equal(replacementFor('gemini-2.5-flash', TODAY), 'gemini-3.5-flash-lite');
    assert.equal(replacementFor('gemini-3.5-flash', TODAY), 'gemini-3.6-flash');
    assert.equal(replacementFor('gemini-3.7-flash', TODAY), 'gemini-3.8-flash');
  });
});

describe('lifecycle with the endpoint\'s word', () => {
  test('a 404 or RETIRED makes it retired; absence from the list confirms only a passed date', () => {
    assert.equal(lifecycleAt('gemini-nano-banana-2.1', TODAY, { gone: true }).state, 'retired');
    assert.equal(lifecycleAt('gemini-3-pro-image-preview', TODAY, { listed: false }).state, 'retired');
    assert.equal(lifecycleAt('gemini-3-pro-image-preview', TODAY, { listed: true }).state, 'retiring');
    assert.equal(lifecycleAt('gemini-2.5-flash-image', TODAY, { listed: false }).state, 'retiring', 'its date is still ahead');
    assert.equal(lifecycleAt('relay-alias', TODAY, { stage: 'RETIRED' }).state, 'retired');
  });

  test('modelStatus gives the date and wins over the catalogue; a live stage outweighs a written-down deprecation', () => {
    const said = lifecycleAt('gemini-nano-banana-2.1', TODAY, { stage: 'DEPRECATED', retirementTime: '2027-06-01T00:00:00Z' });
    assert.ok(said.state === 'retiring' && said.from === 'endpoint' && said.shutdown === '2027-06-01' && !said.overdue);
    const relay = lifecycleAt('relay-alias', TODAY, { stage: 'DEPRECATED' });
    assert.ok(relay.state === 'retiring' && relay.from === 'endpoint' && relay.shutdown === undefined);
    assert.equal(lifecycleAt('gemini-3.1-flash-image', TODAY, { stage: 'STABLE' }).state, 'live');
  });

  test('an automatic user moves on from a model the endpoint reports deprecated, and from one it answered 404 for', async () => {
    const book = new ModelStatusBook(memoryStore(), () => TODAY);
    const base = 'https://relay.example/v1beta';
    const listed = ['gemini-nano-banana-2.1', 'gemini-3-pro-image'];
    assert.equal(automaticImageModel(listed, TODAY, book.wordOf(base, listed)), 'gemini-nano-banana-2.1');
    await book.heard('https://relay.example', 'gemini-nano-banana-2.1', { modelStage: 'DEPRECATED', retirementTime: '2027-01-10T00:00:00Z' });
    assert.equal(automaticImageModel(listed, TODAY, book.wordOf(base, listed)), 'gemini-3-pro-image');
    await book.notFound(base, 'gemini-3-pro-image');
    assert.equal(automaticImageModel(listed, TODAY, book.wordOf(base, listed)), 'gemini-nano-banana-2.1', 'deprecated beats gone');
    // Another endpoint heard nothing of it.
    assert.equal(automaticImageModel(listed, TODAY, book.wordOf('https://other.example', listed)), 'gemini-nano-banana-2.1');
    assert.equal(book.get('https://other.example', 'gemini-3-pro-image'), undefined);
    await book.answered(base, 'gemini-3-pro-image');
    assert.equal(book.get(base, 'gemini-3-pro-image')?.gone, undefined);
  });
});
