// The text models for describe, alt text and the prompt writer, in order of preference.
import { CATALOGUE_CHECKED } from './imageModels';
import type { TextModelSpec } from './types';

export const TEXT_MODELS: readonly TextModelSpec[] = [
  { id: 'gemini-3.5-flash-lite', displayName: 'Gemini 3.5 Flash-Lite', lifecycle: { stage: 'ga', released: '2026-07-21', checked: CATALOGUE_CHECKED } },
  { id: 'gemini-3.1-flash-lite', displayName: 'Gemini 3.1 Flash-Lite', lifecycle: { stage: 'ga', released: '2026-05-07', shutdown: '2027-05-07', replacement: 'gemini-3.5-flash-lite', checked: CATALOGUE_CHECKED } },
  // Google routes calls to it to gemini-3.5-flash-lite since its shutdown, billed at that model's rate.
  { id: 'gemini-2.5-flash', displayName: 'Gemini 2.5 Flash', lifecycle: { stage: 'ga', released: '2025-06-17', shutdown: '2026-12-01', replacement: 'gemini-3.5-flash-lite', checked: CATALOGUE_CHECKED } },
];
