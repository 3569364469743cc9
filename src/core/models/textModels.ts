// The text models for describe, alt text and the prompt writer, in order of preference (catalogue.json).
export { TEXT_MODELS } from './imageModels';
