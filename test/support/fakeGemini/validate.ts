// Checks a generateContent request as the real API does: unknown fields, types, oneofs, model
// limits (candidates, aspect ratios, sizes), reference files, and multi-turn thought signatures.
import { createHash } from 'node:crypto';
import { badRequest, invalidPayload, unableToProcessImage, type ErrorAnswer } from './errors';
import { ratiosFor, type ModelInfo } from './models';
import { PayloadReader, type Fields } from './payload';
import { sniffImage } from './sniff';
import type { IssuedSignature } from './state';

// GenerateContentRequest, GenerationConfig, Part and SafetySetting as Google's protos define them
// (google/ai/generativelanguage/v1beta), plus what the live API has ahead of them (imageSize,
// thinkingLevel, Part.mediaResolution).
const TOP_LEVEL = ['model', 'contents', 'generationConfig', 'safetySettings', 'systemInstruction', 'tools', 'toolConfig', 'cachedContent', 'serviceTier'];
// Google's JS SDK (ServiceTier) sends the tier at the request root for the Gemini API.
const SERVICE_TIERS = ['standard', 'flex', 'priority'];
const GENERATION_CONFIG = [
  'candidateCount', 'stopSequences', 'maxOutputTokens', 'temperature', 'topP', 'topK', 'seed', 'responseMimeType', 'responseSchema',
  'responseJsonSchema', 'responseJsonSchemaOrdered', 'presencePenalty', 'frequencyPenalty', 'responseLogprobs', 'logprobs',
  'enableEnhancedCivicAnswers', 'responseModalities', 'speechConfig', 'thinkingConfig', 'imageConfig', 'mediaResolution',
];
const IMAGE_CONFIG = ['aspectRatio', 'imageSize'];
const THINKING_CONFIG = ['includeThoughts', 'thinkingBudget', 'thinkingLevel'];
const THINKING_LEVELS = ['THINKING_LEVEL_UNSPECIFIED', 'MINIMAL', 'LOW', 'MEDIUM', 'HIGH'];
const MEDIA_RESOLUTIONS = ['MEDIA_RESOLUTION_UNSPECIFIED', 'MEDIA_RESOLUTION_LOW', 'MEDIA_RESOLUTION_MEDIUM', 'MEDIA_RESOLUTION_HIGH', 'MEDIA_RESOLUTION_ULTRA_HIGH'];
const CONTENT = ['role', 'parts'];
const PART = [
  'text', 'inlineData', 'functionCall', 'functionResponse', 'fileData', 'executableCode', 'codeExecutionResult', 'videoMetadata',
  'thought', 'thoughtSignature', 'partMetadata', 'mediaResolution',
];
const PART_MEDIA_RESOLUTION = ['level', 'numTokens'];
const BLOB = ['mimeType', 'data'];
const FILE_DATA = ['mimeType', 'fileUri'];
// No `method` (Vertex only) and no image categories: the Gemini API has neither.
const SAFETY_SETTING = ['category', 'threshold'];
const HARM_CATEGORIES = [
  'HARM_CATEGORY_UNSPECIFIED', 'HARM_CATEGORY_DEROGATORY', 'HARM_CATEGORY_TOXICITY', 'HARM_CATEGORY_VIOLENCE', 'HARM_CATEGORY_SEXUAL',
  'HARM_CATEGORY_MEDICAL', 'HARM_CATEGORY_DANGEROUS', 'HARM_CATEGORY_HARASSMENT', 'HARM_CATEGORY_HATE_SPEECH',
  'HARM_CATEGORY_SEXUALLY_EXPLICIT', 'HARM_CATEGORY_DANGEROUS_CONTENT', 'HARM_CATEGORY_CIVIC_INTEGRITY',
];
const THRESHOLDS = ['HARM_BLOCK_THRESHOLD_UNSPECIFIED', 'BLOCK_LOW_AND_ABOVE', 'BLOCK_MEDIUM_AND_ABOVE', 'BLOCK_ONLY_HIGH', 'BLOCK_NONE', 'OFF'];
const MODALITIES = ['TEXT', 'IMAGE'];
const INPUT_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif', 'application/pdf', 'text/plain'];
const IMAGE_SIZES = ['512', '1K', '2K', '4K'];

/** What the server needs to know about an accepted request. */
export interface RequestSummary {
  inputImages: number;
  textChars: number;
  /** The last text part of the request, which a text answer responds to. */
  lastText: string;
  wantsText: boolean;
  wantsImage: boolean;
  aspectRatio?: string;
  imageSize?: string;
  /** Size of the first reference image, when it could be read. */
  firstImage?: { width: number; height: number };
  candidateCount: number;
  /** The tier asked for (standard when none), echoed as usageMetadata.serviceTier. */
  serviceTier: string;
}

export interface ValidationContext {
  model: ModelInfo;
  /** The file behind a fileUri, or the error to answer. */
  resolveFile(uri: string): { mimeType: string } | { error: ErrorAnswer };
  /** What `signature` was issued for, if this server issued it. */
  issuedSignature(signature: string): IssuedSignature | undefined;
  /** How many signatures the answer `reply` carried. */
  signaturesInReply(reply: string): number;
}

export function contentHash(kind: 'data' | 'text' | 'file', content: Buffer | string): string {
  return createHash('sha256').update(kind).update(content).digest('hex');
}

interface PartInfo {
  path: string;
  role: string;
  contentIndex: number;
  partIndex: number;
  fields: Fields;
  blob?: Fields;
  file?: Fields;
}

export function validateGenerateRequest(body: unknown, ctx: ValidationContext): { summary: RequestSummary } | { error: ErrorAnswer } {
  const reader = new PayloadReader();
  const root = reader.object(body ?? {}, '', TOP_LEVEL);
  const parts: PartInfo[] = [];
  const contents = reader.array(root?.get('contents'), 'contents', 'type.googleapis.com/google.ai.generativelanguage.v1beta.Content') ?? [];
  const roles: unknown[] = [];
  const partCounts: number[] = [];
  contents.forEach((content, i) => {
    const path = `contents[${i}]`;
    const c = reader.object(content, path, CONTENT);
    roles.push(c?.get('role'));
    const list = reader.array(c?.get('parts'), `${path}.parts`, 'type.googleapis.com/google.ai.generativelanguage.v1beta.Part') ?? [];
    partCounts.push(list.length);
    list.forEach((part, j) => readPart(reader, part, `${path}.parts[${j}]`, i, j, String(c?.get('role') ?? 'user'), parts));
  });
  const system = reader.object(root?.get('systemInstruction'), 'system_instruction', CONTENT);
  const systemParts = reader.array(system?.get('parts'), 'system_instruction.parts', 'type.googleapis.com/google.ai.generativelanguage.v1beta.Part') ?? [];
  systemParts.forEach((part, j) => readPart(reader, part, `system_instruction.parts[${j}]`, -1, j, 'system', []));
  const config = reader.object(root?.get('generationConfig'), 'generation_config', GENERATION_CONFIG);
  const imageConfig = reader.object(config?.get('imageConfig'), 'generation_config.image_config', IMAGE_CONFIG);
  const thinking = reader.object(config?.get('thinkingConfig'), 'generation_config.thinking_config', THINKING_CONFIG);
  reader.boolean(thinking?.get('includeThoughts'), 'generation_config.thinking_config.include_thoughts');
  reader.number(thinking?.get('thinkingBudget'), 'generation_config.thinking_config.thinking_budget', 'TYPE_INT32');
  const rawLevel = thinking?.get('thinkingLevel');
  // The REST guide writes levels in lower case; the enum's names are upper case. Both parse.
  const thinkingLevel = reader.enumValue(typeof rawLevel === 'string' ? rawLevel.toUpperCase() : rawLevel, 'generation_config.thinking_config.thinking_level', 'ThinkingConfig.ThinkingLevel', THINKING_LEVELS);
  reader.enumValue(config?.get('mediaResolution'), 'generation_config.media_resolution', 'GenerationConfig.MediaResolution', MEDIA_RESOLUTIONS);
  reader.string(root?.get('model'), 'model');
  const modalities = (reader.array(config?.get('responseModalities'), 'generation_config.response_modalities', 'TYPE_ENUM') ?? []).map((m, k) =>
    reader.enumValue(m, `generation_config.response_modalities[${k}]`, 'GenerationConfig.Modality', MODALITIES),
  );
  const candidateCount = reader.number(config?.get('candidateCount'), 'generation_config.candidate_count', 'TYPE_INT32') ?? 1;
  const temperature = reader.number(config?.get('temperature'), 'generation_config.temperature', 'TYPE_FLOAT');
  reader.number(config?.get('topP'), 'generation_config.top_p', 'TYPE_FLOAT');
  reader.number(config?.get('topK'), 'generation_config.top_k', 'TYPE_INT32');
  reader.number(config?.get('maxOutputTokens'), 'generation_config.max_output_tokens', 'TYPE_INT32');
  reader.number(config?.get('seed'), 'generation_config.seed', 'TYPE_INT32');
  reader.string(config?.get('responseMimeType'), 'generation_config.response_mime_type');
  const aspectRatio = reader.string(imageConfig?.get('aspectRatio'), 'generation_config.image_config.aspect_ratio');
  const imageSize = reader.string(imageConfig?.get('imageSize'), 'generation_config.image_config.image_size');
  (reader.array(root?.get('safetySettings'), 'safety_settings', 'type.googleapis.com/google.ai.generativelanguage.v1beta.SafetySetting') ?? []).forEach((s, k) => {
    const setting = reader.object(s, `safety_settings[${k}]`, SAFETY_SETTING);
    reader.enumValue(setting?.get('category'), `safety_settings[${k}].category`, 'HarmCategory', HARM_CATEGORIES);
    reader.enumValue(setting?.get('threshold'), `safety_settings[${k}].threshold`, 'SafetySetting.HarmBlockThreshold', THRESHOLDS);
  });
  reader.string(root?.get('cachedContent'), 'cached_content');
  const serviceTier = reader.string(root?.get('serviceTier'), 'service_tier');
  if (reader.violations.length) return { error: invalidPayload(reader.violations) };

  // The payload parses; now what the service itself checks.
  const model = ctx.model;
  if (contents.length === 0) return fail('* GenerateContentRequest.contents: contents is not specified\n');
  for (let i = 0; i < contents.length; i++) {
    if (roles[i] !== undefined && roles[i] !== null && roles[i] !== 'user' && roles[i] !== 'model') return fail('Please use a valid role: user, model.');
    if (partCounts[i] === 0) return fail(`* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.\n`);
  }
  let inputImages = 0;
  let textChars = 0;
  let lastText = '';
  let firstImage: RequestSummary['firstImage'];
  // Per content: signatures seen, counted by the answer they came from.
  const replies = new Map<number, Map<string, number>>();
  for (const part of parts) {
    const failure = checkPart(part, ctx, replies);
    if (failure) return { error: failure };
    if (part.fields.has('text')) {
      lastText = String(part.fields.get('text'));
      textChars += lastText.length;
    }
    const mimeType = String(part.blob?.get('mimeType') ?? part.file?.get('mimeType') ?? '');
    if (mimeType.startsWith('image/')) {
      inputImages++;
      if (!firstImage && part.blob) {
        const s = sniffImage(Buffer.from(String(part.blob.get('data')), 'base64'));
        if (s?.width && s.height) firstImage = { width: s.width, height: s.height };
      }
    }
  }
  // A model turn sent back must be the whole answer: dropping, say, the draft images loses signatures.
  for (const [index, seen] of replies) {
    for (const [reply, count] of seen) {
      if (count < ctx.signaturesInReply(reply)) {
        return fail(`Content position ${index + 1} (role model) lacks parts of the response it came from: ${count} of its ${ctx.signaturesInReply(reply)} parts with a thought_signature were sent back. Send previous turns back exactly as received.`);
      }
    }
  }
  if (temperature !== undefined && (temperature < 0 || temperature > 2)) return fail('* GenerateContentRequest.generation_config.temperature: temperature must be in the range [0.0, 2.0]\n');
  const wanted = modalities.filter((m): m is string => m !== undefined);
  if (!model.image && wanted.includes('IMAGE')) {
    return fail(`The requested combination of response modalities (${wanted.join(', ')}) is not supported by the model models/${model.id}.`);
  }
  if (candidateCount < 1) return fail('* GenerateContentRequest.generation_config.candidate_count: must be positive\n');
  if (model.image && candidateCount > 1) return fail(`Multiple candidates is not enabled for models/${model.id}`);
  if (thinkingLevel !== undefined && thinkingLevel !== 'THINKING_LEVEL_UNSPECIFIED' && !model.thinkingLevels.includes(thinkingLevel.toLowerCase())) {
    const supported = model.thinkingLevels.length ? `Supported values: ${model.thinkingLevels.join(', ')}.` : 'Thinking level is not supported for this model.';
    return fail(`* GenerateContentRequest.generation_config.thinking_config.thinking_level: thinking_level "${String(rawLevel)}" is not supported by models/${model.id}. ${supported}\n`);
  }
  if (aspectRatio !== undefined && !ratiosFor(model).includes(aspectRatio)) {
    return fail(`* GenerateContentRequest.generation_config.image_config.aspect_ratio: Unsupported aspect ratio "${aspectRatio}" for models/${model.id}. Supported values: ${ratiosFor(model).join(', ')}.\n`);
  }
  if (serviceTier !== undefined) {
    if (!SERVICE_TIERS.includes(serviceTier.toLowerCase())) return fail(`* GenerateContentRequest.service_tier: Invalid value "${serviceTier}". Supported values: ${SERVICE_TIERS.join(', ')}.\n`);
    if (!model.tiers.includes(serviceTier.toLowerCase())) return fail(`* GenerateContentRequest.service_tier: service_tier "${serviceTier}" is not supported by models/${model.id}.\n`);
  }
  if (imageSize !== undefined) {
    if (!IMAGE_SIZES.includes(imageSize)) return fail(`* GenerateContentRequest.generation_config.image_config.image_size: Unsupported image size "${imageSize}". Supported values: 1K, 2K, 4K (uppercase K).\n`);
    if (model.image && !model.sizes.includes(imageSize)) {
      const supported = model.sizes.length ? `Supported values: ${model.sizes.join(', ')}.` : 'This model generates 1K images only; leave image_size out.';
      return fail(`* GenerateContentRequest.generation_config.image_config.image_size: image_size "${imageSize}" is not supported by models/${model.id}. ${supported}\n`);
    }
  }
  return {
    summary: {
      inputImages,
      textChars,
      lastText,
      wantsText: wanted.length === 0 || wanted.includes('TEXT'),
      wantsImage: model.image && (wanted.length === 0 || wanted.includes('IMAGE')),
      aspectRatio,
      imageSize,
      firstImage,
      candidateCount,
      serviceTier: serviceTier?.toLowerCase() ?? 'standard',
    },
  };
}

function fail(message: string): { error: ErrorAnswer } {
  return { error: badRequest(message) };
}

function readPart(reader: PayloadReader, part: unknown, path: string, contentIndex: number, partIndex: number, role: string, out: PartInfo[]): void {
  const fields = reader.object(part, path, PART);
  if (!fields) return;
  const info: PartInfo = { path, role, contentIndex, partIndex, fields };
  reader.string(fields.get('text'), `${path}.text`);
  reader.boolean(fields.get('thought'), `${path}.thought`);
  reader.bytes(fields.get('thoughtSignature'), `${path}.thought_signature`);
  const resolution = reader.object(fields.get('mediaResolution'), `${path}.media_resolution`, PART_MEDIA_RESOLUTION);
  reader.enumValue(resolution?.get('level'), `${path}.media_resolution.level`, 'MediaResolution', MEDIA_RESOLUTIONS);
  info.blob = reader.object(fields.get('inlineData'), `${path}.inline_data`, BLOB);
  if (info.blob) {
    reader.string(info.blob.get('mimeType'), `${path}.inline_data.mime_type`);
    reader.bytes(info.blob.get('data'), `${path}.inline_data.data`);
  }
  info.file = reader.object(fields.get('fileData'), `${path}.file_data`, FILE_DATA);
  if (info.file) {
    reader.string(info.file.get('mimeType'), `${path}.file_data.mime_type`);
    reader.string(info.file.get('fileUri'), `${path}.file_data.file_uri`);
  }
  out.push(info);
}

function checkPart(part: PartInfo, ctx: ValidationContext, replies: Map<number, Map<string, number>>): ErrorAnswer | undefined {
  const { fields, blob, file } = part;
  const set = ['text', 'inlineData', 'fileData', 'functionCall', 'functionResponse', 'executableCode', 'codeExecutionResult'].filter((k) => fields.has(k));
  const where = `* GenerateContentRequest.${part.path}`;
  if (set.length === 0) return badRequest(`${where}.data: required oneof field 'data' must have one initialized field\n`);
  if (set.length > 1) return badRequest(`Invalid JSON payload received. Oneof field 'data' is already set. Cannot set '${set[1]}'`);
  let hash: string;
  if (blob) {
    const mimeType = blob.get('mimeType') as string | undefined;
    const data = (blob.get('data') as string | undefined) ?? '';
    if (!mimeType) return badRequest(`${where}.inline_data.mime_type: mime_type is not specified\n`);
    if (!INPUT_TYPES.includes(mimeType)) return badRequest(`Unsupported MIME type: ${mimeType}`);
    const bytes = Buffer.from(data, /[-_]/.test(data) ? 'base64url' : 'base64');
    if (mimeType.startsWith('image/')) {
      const sniffed = sniffImage(bytes);
      if (!sniffed || sniffed.type === 'gif') return unableToProcessImage();
    } else if (bytes.length === 0) {
      return badRequest(`${where}.inline_data.data: data is empty\n`);
    }
    hash = contentHash('data', bytes);
  } else if (file) {
    const uri = file.get('fileUri') as string | undefined;
    if (!uri) return badRequest(`${where}.file_data.file_uri: file_uri is not specified\n`);
    const found = ctx.resolveFile(uri);
    if ('error' in found) return found.error;
    const mimeType = file.get('mimeType') as string | undefined;
    if (mimeType && !INPUT_TYPES.includes(mimeType)) return badRequest(`Unsupported MIME type: ${mimeType}`);
    hash = contentHash('file', uri);
  } else {
    hash = contentHash('text', typeof fields.get('text') === 'string' ? (fields.get('text') as string) : JSON.stringify([...fields]));
  }
  const signature = fields.get('thoughtSignature') as string | undefined;
  if (signature !== undefined) {
    const issued = ctx.issuedSignature(signature);
    if (!issued || issued.hash !== hash || issued.model !== ctx.model.id) return badRequest('Corrupted thought signature.');
    const seen = replies.get(part.contentIndex) ?? new Map<string, number>();
    seen.set(issued.reply, (seen.get(issued.reply) ?? 0) + 1);
    replies.set(part.contentIndex, seen);
  } else if (part.role === 'model' && blob) {
    return badRequest(`Image part is missing a thought_signature in content position ${part.contentIndex + 1}, part position ${part.partIndex + 1}.`);
  }
  return undefined;
}
